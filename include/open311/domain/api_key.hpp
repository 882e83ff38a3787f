#pragma once

#include "open311/domain/time.hpp"

#include <optional>
#include <string>

namespace open311 {

/// What a key may do: client keys submit, staff keys moderate, admin keys do everything.
enum class Role { client, staff, admin };

const char* to_string(Role role);
std::optional<Role> role_from(const std::string& text);

/// An API key as listed. The secret itself is never stored; only its hash is.
struct ApiKey {
    std::string name;
    Role role = Role::client;
    std::string prefix;  ///< first characters of the secret, to recognise it in lists
    Timestamp created_at = 0;
    std::optional<Timestamp> expires_at;  ///< first instant at which the key is no longer valid
    std::optional<Timestamp> revoked_at;
};

}  // namespace open311
