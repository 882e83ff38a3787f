#pragma once

#include "form/params.hpp"

#include "open311/config.hpp"
#include "open311/errors.hpp"

#include <optional>
#include <string>
#include <vector>

namespace open311::validate {

// The query rules every public GeoReport call shares: the jurisdiction, the language and the
// true/false flags (`extensions`). One place, so that discovery, services, requests, updates
// and tokens read them the same way.

/// 400/404 when the `jurisdiction_id` of a public call does not fit the configuration. With
/// one jurisdiction the parameter is optional and ignored, whatever its value: clients send
/// whatever they were configured with.
std::optional<ApiError> check_jurisdiction(const Config& config, const form::Params& params);

/// The language a public call asks for (`locale`: "fi", "fi_FI", "fi-FI" → "fi"); anything
/// unsupported falls back to the default language.
std::string locale_of(const Config& config, const form::Params& params);

/// Parses "true"/"false" (any case) for `name`; adds an error otherwise.
bool read_bool(const form::Params& params,
               const std::string& name,
               bool fallback,
               std::vector<ApiError>& errors);

}  // namespace open311::validate
