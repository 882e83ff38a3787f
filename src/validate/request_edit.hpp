#pragma once

#include "open311/config.hpp"
#include "open311/domain/workflow.hpp"
#include "open311/errors.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace open311::validate {

/// Reads the JSON body of a staff edit; one error per bad or unknown field, named.
RequestEdit read_request_edit(const nlohmann::json& body,
                              const Profile& profile,
                              std::vector<ApiError>& errors);

/// The version an If-Match header names ("3", "\"3\"", W/"3"); nullopt for none or "*".
std::optional<std::int64_t> version_from_if_match(const std::string& header, bool& malformed);

}  // namespace open311::validate
