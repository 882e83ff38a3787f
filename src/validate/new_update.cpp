#include "validate/new_update.hpp"

#include "format/datetime.hpp"
#include "util/text.hpp"
#include "validate/fields.hpp"
#include "validate/new_request.hpp"

#include "open311/domain/status_map.hpp"

#include <algorithm>

namespace open311::validate {
namespace {

std::string required_text(const form::Params& form,
                          const std::string& name,
                          std::size_t max,
                          bool forbid_html,
                          std::vector<ApiError>& errors) {
    const auto before = errors.size();
    auto value = text_field(form, name, max, forbid_html, errors);
    if (value.empty() && errors.size() == before) {
        errors.push_back(bad(name + ": required"));
    }
    return value;
}

}  // namespace

std::vector<ApiError> new_update(const form::Params& form,
                                 const Profile& profile,
                                 RequestUpdate& out) {
    std::vector<ApiError> errors;
    out.request_id = required_text(form, "service_request_id", kMaxShortField, false, errors);
    out.client_update_id = required_text(form, "update_id", kMaxShortField, false, errors);

    const auto status = required_text(form, "status", 64, false, errors);
    if (!status.empty()) {
        if (const auto* s = find_external_status(status)) {
            out.status = s->status;
            out.external_status = s->name;
        } else {
            errors.push_back(
                bad("status: expected OPEN or CLOSED, or an extended state (investigating, "
                    "in_progress, action_scheduled, fixed, not_councils_responsibility, duplicate, "
                    "no_further_action, internal_referral)"));
        }
    }

    const auto max_description =
        static_cast<std::size_t>(std::max(profile.description_max_length, 1));
    out.description = required_text(form, "description", max_description, true, errors);

    const auto when = required_text(form, "updated_datetime", 64, false, errors);
    if (!when.empty()) {
        if (auto t = format::parse_w3c(when)) {
            out.client_datetime = *t;
        } else {
            errors.push_back(
                bad("updated_datetime: expected a W3C datetime such as 2026-05-01T12:00:00Z"));
        }
    }

    out.media_url = text_field(form, "media_url", kMaxUrl, false, errors);
    if (!out.media_url.empty() && !valid_http_url(out.media_url)) {
        errors.push_back(bad("media_url: expected an http:// or https:// URL"));
    }

    auto& p = out.submitter;
    read_contact(form, p.email, p.first_name, p.last_name, errors);
    p.phone = text_field(form, "phone", 64, false, errors);
    p.title = text_field(form, "title", kMaxShortField, true, errors);
    p.account_id = text_field(form, "account_id", kMaxShortField, false, errors);
    return errors;
}

}  // namespace open311::validate
