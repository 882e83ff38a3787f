#include "api/guard/auth.hpp"

#include "util/random.hpp"
#include "util/text.hpp"

namespace open311::api {

std::optional<ApiKey> authenticate(Store& store, const std::string& secret, Timestamp at) {
    if (secret.empty() || secret.size() > 200) {
        return std::nullopt;
    }
    auto key = store.find_key_by_hash(sha256_hex(secret));
    if (!key || key->revoked_at || (key->expires_at && at >= *key->expires_at)) {
        return std::nullopt;
    }
    return key;
}

KeySecret mint_key(ApiKey& key) {
    KeySecret out;
    out.secret = new_key_secret();
    out.hash = sha256_hex(out.secret);
    key.prefix = out.secret.substr(0, 9);  // "o311_" and four characters, to tell keys apart
    key.created_at = now();
    return out;
}

std::optional<std::string> issue_key(Store& store, ApiKey key) {
    auto minted = mint_key(key);
    if (!store.insert_key(key, minted.hash)) {
        return std::nullopt;
    }
    return std::move(minted.secret);
}

std::string bearer_token(const std::string& authorization) {
    auto value = trim(authorization);
    if (value.size() > 7 && to_lower(value.substr(0, 7)) == "bearer ") {
        return trim(value.substr(7));
    }
    return {};
}

}  // namespace open311::api
