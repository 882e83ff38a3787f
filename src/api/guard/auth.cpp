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

std::optional<ApiKey> authenticate_form(Store& store, const form::Params& form, ApiError& refusal) {
    const auto secret = form.get("api_key");
    auto key = authenticate(store, secret.value_or(""), now());
    if (!key) {
        refusal = {ErrorCode::forbidden,
                   secret ? "api_key: invalid, revoked or expired API key" : "api_key: required"};
    }
    return key;
}

std::string bearer_token(const std::string& authorization) {
    auto value = trim(authorization);
    if (value.size() > 7 && to_lower(value.substr(0, 7)) == "bearer ") {
        return trim(value.substr(7));
    }
    return {};
}

}  // namespace open311::api
