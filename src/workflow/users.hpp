#pragma once

#include "workflow/outcome.hpp"

#include "open311/domain/staff_user.hpp"
#include "open311/store/store.hpp"

#include <optional>
#include <string>

namespace open311::workflow {

/// Shortest password a user may have.
inline constexpr std::size_t kMinPasswordLength = 12;
/// Longest password accepted (hashing cost does not grow with it, but a body might).
inline constexpr std::size_t kMaxPasswordLength = 1024;

/// Why `name` cannot be a user name (3–64 of letters, digits, '.', '-', '_', '@'), or nullopt.
std::optional<std::string> user_name_problem(const std::string& name);
/// Why `password` cannot be a password (at least 12 characters), or nullopt.
std::optional<std::string> password_problem(const std::string& password);

/// Creates a console user (role staff or admin) with its audit line naming `actor`.
Outcome<StaffUser> create_user(Store& store,
                               const std::string& name,
                               Role role,
                               const std::string& password,
                               const std::string& actor);
/// Disables a user and ends their sessions; disabling a disabled user changes nothing.
Outcome<StaffUser> disable_user(Store& store, const std::string& name, const std::string& actor);
/// Sets a new password and ends the user's sessions.
Outcome<StaffUser> set_user_password(Store& store,
                                     const std::string& name,
                                     const std::string& password,
                                     const std::string& actor);

}  // namespace open311::workflow
