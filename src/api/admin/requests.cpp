// Staff API: the moderation queue and case handling of one request. Handlers read the request,
// call the case workflow (src/workflow/) and write the answer.
#include "api/admin/handlers.hpp"
#include "format/staff_trees.hpp"
#include "store/catalogue_view.hpp"
#include "util/text.hpp"
#include "validate/request_edit.hpp"
#include "validate/search_query.hpp"

namespace open311::api {

namespace {

void add_etag(HttpResponse& response, std::int64_t version) {
    response.headers.emplace_back("ETag", "\"" + std::to_string(version) + "\"");
}

}  // namespace

HttpResponse StaffHandlers::list_requests(const RequestContext& ctx) const {
    std::vector<ApiError> errors;
    RequestFilter filter;
    filter.order = RequestOrder::requested_desc;
    if (auto state = ctx.query.get("state")) {
        auto parsed = moderation_state_from(to_lower(trim(*state)));
        if (!parsed) {
            errors.push_back(field_error("state", "expected pending, published or rejected"));
        } else {
            filter.states = {*parsed};
        }
    }
    validate::read_paging(ctx.query, 50, 1000, false, filter, errors);
    if (!errors.empty()) {
        return s_.respond.errors(format::Format::json, errors);
    }
    auto result = s_.store.search_requests(filter);
    const CatalogueView catalogue(s_.store);
    const auto& locale = s_.config.default_locale;
    std::vector<std::string> names;
    names.reserve(result.items.size());
    for (auto& r : result.items) {
        s_.links.add_to(r);
        names.push_back(catalogue.name(r.service_code, locale, locale));
    }
    auto response = s_.respond.json(format::staff_request_list(result.items, names, result.total));
    response.headers.emplace_back("X-Total-Count", std::to_string(result.total));
    return response;
}

HttpResponse StaffHandlers::staff_record(const ServiceRequest& stored) const {
    ServiceRequest request = stored;
    s_.links.add_to(request);
    const auto& locale = s_.config.default_locale;
    auto response = s_.respond.json(
        format::staff_record(request,
                             CatalogueView(s_.store).name(request.service_code, locale, locale),
                             s_.store.list_request_updates(request.id),
                             s_.store.list_request_audit(request.id),
                             s_.store.list_request_notifications(request.id)));
    add_etag(response, request.version);
    return response;
}

HttpResponse StaffHandlers::case_answer(const workflow::Outcome<ServiceRequest>& outcome) const {
    if (outcome.ok()) {
        return staff_record(*outcome.value);
    }
    auto response = s_.respond.errors(format::Format::json, outcome.errors);
    if (outcome.current_version) {
        add_etag(response, *outcome.current_version);
    }
    return response;
}

HttpResponse StaffHandlers::get_request(const RequestContext& ctx) const {
    const auto& id = ctx.path.at("id");
    auto request = s_.store.find_request(id);
    if (!request) {
        return s_.respond.error(format::Format::json,
                                {ErrorCode::not_found, "no request '" + id + "'"});
    }
    return staff_record(*request);
}

HttpResponse StaffHandlers::edit_request(const RequestContext& ctx) const {
    auto body = nlohmann::json::parse(ctx.http.body, nullptr, false);
    if (body.is_discarded()) {
        return s_.respond.error(format::Format::json,
                                field_error("body", "expected a JSON object"));
    }
    std::vector<ApiError> errors;
    const RequestEdit edit = validate::read_request_edit(body, s_.config.profile, errors);
    bool malformed = false;
    auto if_match = validate::version_from_if_match(ctx.http.if_match, malformed);
    if (malformed) {
        errors.push_back(field_error(
            "If-Match", "expected the ETag of GET /admin/v1/requests/{id}, e.g. \"3\""));
    }
    if (!errors.empty()) {
        return s_.respond.errors(format::Format::json, errors);
    }
    if (if_match && edit.version && *if_match != *edit.version) {
        return s_.respond.error(format::Format::json,
                                field_error("version", "differs from the If-Match header"));
    }
    const auto precondition = if_match ? if_match : edit.version;
    return case_answer(s_.cases.edit(ctx.path.at("id"), edit, precondition, ctx.actor));
}

HttpResponse StaffHandlers::publish(const RequestContext& ctx) const {
    return case_answer(s_.cases.publish(ctx.path.at("id"), ctx.actor));
}

std::optional<ApiError> StaffHandlers::reason_of(const std::string& text, std::string& reason) {
    auto body = nlohmann::json::parse(text, nullptr, false);
    if (!text.empty() && (body.is_discarded() || !body.is_object())) {
        return field_error("body", "expected a JSON object {\"reason\": \"...\"}");
    }
    if (body.is_object() && body.contains("reason")) {
        if (!body["reason"].is_string()) {
            return field_error("reason", "expected a string");
        }
        reason = trim(body["reason"].get<std::string>());
    }
    return std::nullopt;
}

HttpResponse StaffHandlers::reject(const RequestContext& ctx) const {
    std::string reason;
    if (auto problem = reason_of(ctx.http.body, reason)) {
        return s_.respond.error(format::Format::json, *problem);
    }
    return case_answer(s_.cases.reject(ctx.path.at("id"), reason, ctx.actor));
}

HttpResponse StaffHandlers::unpublish(const RequestContext& ctx) const {
    return case_answer(s_.cases.unpublish(ctx.path.at("id"), ctx.actor));
}

}  // namespace open311::api
