#pragma once

#include "form/params.hpp"

#include "open311/domain/api_key.hpp"
#include "open311/errors.hpp"
#include "open311/store/store.hpp"

#include <optional>
#include <string>

namespace open311::api {

/// The live key whose secret this is: not revoked and not past its expiry. Looked up in the
/// store every time, so keys created or revoked by another process take effect at once.
std::optional<ApiKey> authenticate(Store& store, const std::string& secret, Timestamp at);

/// The live key a public POST names in its `api_key` field; otherwise nullopt and the 403
/// to answer in `refusal` (the field is missing, or the key invalid, revoked or expired).
std::optional<ApiKey> authenticate_form(Store& store, const form::Params& form, ApiError& refusal);

/// The token of an "Authorization: Bearer TOKEN" header, or "".
std::string bearer_token(const std::string& authorization);

}  // namespace open311::api
