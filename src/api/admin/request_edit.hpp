#pragma once

#include "open311/config.hpp"
#include "open311/domain/request.hpp"
#include "open311/errors.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace open311::api {

/// A staff edit of one request, read from the JSON body of PATCH /admin/v1/requests/{id}.
/// Each member is set when the body names that field.
struct RequestEdit {
    std::optional<std::string> status;
    std::optional<std::vector<std::string>> detailed_status;
    std::optional<std::string> status_notes;
    std::optional<std::string> agency_responsible;
    std::optional<std::string> service_notice;
    std::optional<std::optional<Timestamp>> expected_at;  ///< inner nullopt: clear it
    std::optional<std::string> title;
    std::optional<std::string> description;
    std::optional<std::string> address;
    std::optional<std::int64_t> version;
};

/// Validates the body; one error per bad or unknown field, named.
RequestEdit read_request_edit(const nlohmann::json& body,
                              const Profile& profile,
                              std::vector<ApiError>& errors);

/// What an edit does to a request.
struct EditResult {
    ServiceRequest after;
    bool changed = false;         ///< any stored field differs
    bool status_changed = false;  ///< status, detailed_status or status_notes: an update is due
    nlohmann::ordered_json before_fields = nlohmann::ordered_json::object();
    nlohmann::ordered_json after_fields = nlohmann::ordered_json::object();
};

/// Applies `edit` to `current` (status follows the detailed status as the Helsinki document
/// says); a contradiction between status and detailed_status is an error.
EditResult apply_request_edit(const ServiceRequest& current,
                              const RequestEdit& edit,
                              Timestamp at,
                              std::vector<ApiError>& errors);

/// The version an If-Match header names ("3", "\"3\"", W/"3"); nullopt for none or "*".
std::optional<std::int64_t> version_from_if_match(const std::string& header, bool& malformed);

}  // namespace open311::api
