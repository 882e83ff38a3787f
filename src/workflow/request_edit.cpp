// The status rules of case handling: a staff edit and a published update move a request's
// status and detailed status together (the Helsinki document's status table).
#include "workflow/request_edit.hpp"

#include "format/datetime.hpp"

#include "open311/domain/status_map.hpp"

#include <algorithm>

namespace open311::workflow {
namespace {

using nlohmann::ordered_json;

ApiError bad(std::string text) {
    return {ErrorCode::bad_request, std::move(text)};
}

template <typename T>
void note(EditResult& r, const char* field, const T& before, const T& after) {
    r.before_fields[field] = before;
    r.after_fields[field] = after;
    r.changed = true;
}

ordered_json time_value(const std::optional<Timestamp>& t) {
    return t ? ordered_json(format::to_w3c(*t)) : ordered_json(nullptr);
}

}  // namespace

EditResult apply_request_edit(const ServiceRequest& current,
                              const RequestEdit& edit,
                              Timestamp at,
                              std::vector<ApiError>& errors) {
    EditResult r;
    r.after = current;
    ServiceRequest& after = r.after;

    // Status: the main detailed value decides it; a status alone moves the main value along.
    if (edit.detailed_status) {
        auto values = *edit.detailed_status;
        auto main = std::find_if(values.begin(), values.end(), is_main_detailed_status);
        if (main != values.end()) {
            const std::string implied = status_implied_by(*main);
            if (edit.status && *edit.status != implied) {
                errors.push_back(bad("status: '" + *edit.status + "' contradicts detailed_status " +
                                     *main + ", which means " + implied));
                return r;
            }
            after.status = implied;
            after.detailed_status = join_detailed_status(values);
        } else {
            // Only PUBLIC_WORKS_* values: they keep the current main value.
            std::vector<std::string> merged;
            for (const auto& v : split_detailed_status(current.detailed_status)) {
                if (is_main_detailed_status(v)) {
                    merged.push_back(v);
                }
            }
            merged.insert(merged.end(), values.begin(), values.end());
            after.status = edit.status.value_or(current.status);
            after.detailed_status =
                align_detailed_status(join_detailed_status(merged), after.status);
        }
    } else if (edit.status) {
        after.status = *edit.status;
        after.detailed_status = align_detailed_status(current.detailed_status, after.status);
    }
    if (edit.status_notes) {
        after.status_notes = *edit.status_notes;
    }
    if (after.status != current.status) {
        note(r, "status", current.status, after.status);
    }
    if (after.detailed_status != current.detailed_status) {
        note(r, "detailed_status", current.detailed_status, after.detailed_status);
    }
    if (after.status_notes != current.status_notes) {
        note(r, "status_notes", current.status_notes, after.status_notes);
    }
    r.status_changed = r.changed;

    auto set_text = [&r](const char* field,
                         const std::optional<std::string>& value,
                         const std::string& before,
                         std::string& target) {
        if (value && *value != before) {
            note(r, field, before, *value);
            target = *value;
        }
    };
    set_text("agency_responsible",
             edit.agency_responsible,
             current.agency_responsible,
             after.agency_responsible);
    set_text("service_notice", edit.service_notice, current.service_notice, after.service_notice);
    set_text("title", edit.title, current.title, after.title);
    set_text("description", edit.description, current.description, after.description);
    set_text("address", edit.address, current.address, after.address);
    if (edit.expected_at && *edit.expected_at != current.expected_at) {
        note(
            r, "expected_datetime", time_value(current.expected_at), time_value(*edit.expected_at));
        after.expected_at = *edit.expected_at;
    }
    if (r.changed) {
        after.updated_at = at;
    }
    return r;
}

bool apply_update_status(ServiceRequest& request, const RequestUpdate& update, Timestamp at) {
    const auto* external = find_external_status(update.external_status);
    std::string detailed = request.detailed_status;
    if (external != nullptr && update.external_status != "open" &&
        update.external_status != "closed") {
        auto values = split_detailed_status(detailed);
        values.erase(
            std::remove_if(values.begin(),
                           values.end(),
                           [](const std::string& v) { return is_main_detailed_status(v); }),
            values.end());
        values.insert(values.begin(), external->detailed);
        detailed = join_detailed_status(values);
    } else {
        detailed = align_detailed_status(detailed, update.status);
    }
    if (request.status == update.status && request.detailed_status == detailed) {
        return false;
    }
    request.status = update.status;
    request.detailed_status = detailed;
    request.updated_at = at;
    return true;
}

}  // namespace open311::workflow
