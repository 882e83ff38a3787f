#pragma once

#include "open311/domain/api_key.hpp"
#include "open311/domain/time.hpp"

#include <optional>
#include <string>

namespace open311 {

/// A person who signs in to the staff console. Roles are those of API keys: `staff`
/// moderates and handles cases; `admin` also manages the catalogue, keys and users.
struct StaffUser {
    std::string name;  ///< 3–64 of letters, digits, '.', '-', '_', '@' (may be an e-mail address)
    Role role = Role::staff;
    std::string password_hash;  ///< Argon2id, in libsodium's string format; never shown
    std::string language;       ///< "en", "fi", "sv", or "" for the browser's Accept-Language
    Timestamp created_at = 0;
    std::optional<Timestamp> disabled_at;  ///< a disabled user cannot sign in
};

/// A signed-in console session. The browser holds a random token; the store holds only its
/// hash, so a copy of the database opens no session.
struct StaffSession {
    std::string token_hash;
    std::string user_name;
    std::string csrf_token;  ///< sent back in every form of the session
    Timestamp created_at = 0;
    Timestamp last_seen_at = 0;
};

}  // namespace open311
