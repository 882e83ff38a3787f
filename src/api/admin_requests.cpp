// Staff API: the moderation queue. Publishing needs the sender's permission
// (Helsinki: only requests with can_be_published=true may be published).
#include "api/catalogue_view.hpp"
#include "api/handlers.hpp"
#include "format/trees.hpp"
#include "util/text.hpp"
#include "validate/search_query.hpp"

#include <spdlog/spdlog.h>

namespace open311::api {

HttpResponse Handlers::admin_list_requests(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    std::vector<ApiError> errors;
    RequestFilter filter;
    filter.order = RequestOrder::requested_desc;
    if (auto state = ctx.query.get("state")) {
        auto parsed = moderation_state_from(to_lower(trim(*state)));
        if (!parsed) {
            errors.push_back(
                {ErrorCode::bad_request, "state: expected pending, published or rejected"});
        } else {
            filter.states = {*parsed};
        }
    }
    validate::read_paging(ctx.query, 50, 1000, false, filter, errors);
    if (!errors.empty()) {
        return respond_.errors(format::Format::json, errors);
    }
    auto result = store_.search_requests(filter);
    const CatalogueView catalogue(store_);
    const auto& locale = config_.default_locale;
    auto list = nlohmann::ordered_json::array();
    for (auto& r : result.items) {
        add_media_urls(r);
        list.push_back(format::staff_request(r, catalogue.name(r.service_code, locale, locale)));
    }
    nlohmann::ordered_json body;
    body["requests"] = std::move(list);
    body["total"] = result.total;
    auto response = respond_.json(body);
    response.headers.emplace_back("X-Total-Count", std::to_string(result.total));
    return response;
}

HttpResponse Handlers::admin_get_request(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    const auto& id = ctx.path.at("id");
    auto request = store_.find_request(id);
    if (!request) {
        return respond_.error(format::Format::json,
                              {ErrorCode::not_found, "no request '" + id + "'"});
    }
    add_media_urls(*request);
    return respond_.json(format::staff_request(
        *request,
        CatalogueView(store_).name(
            request->service_code, config_.default_locale, config_.default_locale)));
}

HttpResponse Handlers::moderate(const RequestContext& ctx, ModerationState target) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    const auto& id = ctx.path.at("id");
    auto request = store_.find_request(id);
    if (!request) {
        return respond_.error(format::Format::json,
                              {ErrorCode::not_found, "no request '" + id + "'"});
    }
    std::string reason;
    if (target == ModerationState::published && !request->can_be_published) {
        return respond_.error(
            format::Format::json,
            {ErrorCode::conflict,
             "the sender did not allow publication (can_be_published=false); the request "
             "cannot be published"});
    }
    if (target == ModerationState::rejected) {
        auto body = nlohmann::json::parse(ctx.http.body, nullptr, false);
        if (!ctx.http.body.empty() && (body.is_discarded() || !body.is_object())) {
            return respond_.error(
                format::Format::json,
                {ErrorCode::bad_request, "body: expected a JSON object {\"reason\": \"...\"}"});
        }
        if (body.is_object() && body.contains("reason")) {
            if (!body["reason"].is_string()) {
                return respond_.error(format::Format::json,
                                      {ErrorCode::bad_request, "reason: expected a string"});
            }
            reason = trim(body["reason"].get<std::string>());
        }
    }
    if (target == ModerationState::pending && request->state != ModerationState::published) {
        return respond_.error(format::Format::json,
                              {ErrorCode::conflict, "only a published request can be unpublished"});
    }
    auto updated = store_.set_moderation_state(id, target, reason, now());
    if (!updated) {
        return respond_.error(format::Format::json,
                              {ErrorCode::not_found, "no request '" + id + "'"});
    }
    spdlog::info("moderation: request {} is now {} (by key '{}')", id, to_string(target), who);
    add_media_urls(*updated);
    return respond_.json(format::staff_request(
        *updated,
        CatalogueView(store_).name(
            updated->service_code, config_.default_locale, config_.default_locale)));
}

HttpResponse Handlers::admin_publish(const RequestContext& ctx) const {
    return moderate(ctx, ModerationState::published);
}

HttpResponse Handlers::admin_reject(const RequestContext& ctx) const {
    return moderate(ctx, ModerationState::rejected);
}

HttpResponse Handlers::admin_unpublish(const RequestContext& ctx) const {
    return moderate(ctx, ModerationState::pending);
}

}  // namespace open311::api
