#pragma once

#include "workflow/outcome.hpp"

#include "open311/domain/api_key.hpp"
#include "open311/store/store.hpp"

#include <optional>
#include <string>

namespace open311::workflow {

/// A fresh secret for a new key and the hash it is stored by.
struct KeySecret {
    std::string secret;
    std::string hash;
};

/// Why `name` cannot name a key (1 to 100 characters without '/', control characters or
/// surrounding spaces: names appear in log lines, headers and paths), or nullopt.
std::optional<std::string> key_name_problem(const std::string& name);

/// Mints a secret for `key` and fills in its prefix and creation time; nothing is stored.
KeySecret mint_key(ApiKey& key);

/// Stores a new key (name, role, expiry from `key`; created now) by the hash of a fresh secret
/// and returns that secret; nullopt when the name is taken. For the command line and tests,
/// which have no actor to audit.
std::optional<std::string> issue_key(Store& store, ApiKey key);

/// Stores a new key (name, role, expiry from `key`) by the hash of a fresh secret, with its
/// audit line; answers the secret, which is shown once and never stored, logged or audited.
/// `key` gets its prefix and creation time. A taken name is a conflict.
Outcome<std::string> create_key(Store& store, ApiKey& key, const std::string& actor);

/// Revokes a key with its audit line and answers it as it now is. A key cannot revoke itself
/// (its holder would be locked out mid-session, possibly with no admin key left); revoking a
/// revoked key changes nothing.
Outcome<ApiKey> revoke_key(Store& store, const std::string& name, const std::string& actor);

/// Renews a key for the next period: a new key `renewed.name` with the role of `old_name` and
/// the expiry of `renewed`, created (and audited, `key.create` with "renews": `old_name` in
/// its detail) like any key, its secret answered once. The
/// old key keeps working until it expires or is revoked, so its holder can switch without a
/// gap. A revoked or unknown old key is not renewed.
Outcome<std::string> renew_key(Store& store,
                               const std::string& old_name,
                               ApiKey& renewed,
                               const std::string& actor);

}  // namespace open311::workflow
