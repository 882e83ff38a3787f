#pragma once

#include "open311/domain/request.hpp"
#include "open311/domain/workflow.hpp"
#include "open311/errors.hpp"

#include <nlohmann/json.hpp>

#include <vector>

namespace open311::workflow {

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

/// The request as it is once a published update takes effect: its status and detailed status
/// move to what the update says (an FMS external status sets the main detailed value).
/// Returns false when nothing changes.
bool apply_update_status(ServiceRequest& request, const RequestUpdate& update, Timestamp at);

}  // namespace open311::workflow
