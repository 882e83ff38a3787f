#pragma once

#include "form/params.hpp"

#include "open311/config.hpp"
#include "open311/errors.hpp"

#include <optional>
#include <string>

namespace open311::api {

/// 400/404 when the `jurisdiction_id` of a public call does not fit the configuration. With
/// one jurisdiction the parameter is optional and ignored, whatever its value: clients send
/// whatever they were configured with.
std::optional<ApiError> check_jurisdiction(const Config& config, const form::Params& params);

/// The language a public call asks for (`locale`: "fi", "fi_FI", "fi-FI" → "fi"); anything
/// unsupported falls back to the default language.
std::string locale_of(const Config& config, const form::Params& params);

}  // namespace open311::api
