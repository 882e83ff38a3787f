#pragma once

#include "open311/domain/api_key.hpp"
#include "open311/store/store.hpp"

#include <optional>
#include <string>

namespace open311::api {

/// The live key whose secret this is: not revoked and not past its expiry. Looked up in the
/// store every time, so keys created or revoked by another process take effect at once.
std::optional<ApiKey> authenticate(Store& store, const std::string& secret, Timestamp at);

/// A fresh secret for a new key and the hash it is stored by.
struct KeySecret {
    std::string secret;
    std::string hash;
};

/// Mints a secret for `key` and fills in its prefix and creation time; nothing is stored.
KeySecret mint_key(ApiKey& key);

/// Stores a new key (name, role, expiry from `key`; created now) by the hash of a fresh secret
/// and returns that secret, which is shown once and never stored; nullopt when the name is taken.
std::optional<std::string> issue_key(Store& store, ApiKey key);

/// The token of an "Authorization: Bearer TOKEN" header, or "".
std::string bearer_token(const std::string& authorization);

}  // namespace open311::api
