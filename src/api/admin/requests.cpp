// Staff API: the moderation queue and case handling of one request. Every action goes through
// Store::commit_request_change, so the audit line, the update and the notification it causes
// are committed with it or not at all.
#include "api/core/catalogue_view.hpp"
#include "api/handlers.hpp"
#include "api/admin/request_edit.hpp"
#include "format/trees.hpp"
#include "format/workflow_trees.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "validate/search_query.hpp"

#include "open311/domain/status_map.hpp"

#include <spdlog/spdlog.h>

namespace open311::api {

namespace {

using nlohmann::ordered_json;

/// How many times an edit without a client precondition is recomputed when another writer
/// got in between.
constexpr int kEditAttempts = 3;

std::string audit_detail(const ordered_json& before, const ordered_json& after) {
    ordered_json detail;
    detail["before"] = before;
    detail["after"] = after;
    return detail.dump();
}

}  // namespace

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
    auto list = ordered_json::array();
    for (auto& r : result.items) {
        add_media_urls(r);
        list.push_back(format::staff_request(r, catalogue.name(r.service_code, locale, locale)));
    }
    ordered_json body;
    body["requests"] = std::move(list);
    body["total"] = result.total;
    auto response = respond_.json(body);
    response.headers.emplace_back("X-Total-Count", std::to_string(result.total));
    return response;
}

HttpResponse Handlers::staff_record(const ServiceRequest& stored, int status) const {
    ServiceRequest request = stored;
    add_media_urls(request);
    auto body = format::staff_request(
        request,
        CatalogueView(store_).name(
            request.service_code, config_.default_locale, config_.default_locale));
    auto updates = ordered_json::array();
    for (const auto& u : store_.list_request_updates(request.id)) {
        updates.push_back(format::staff_update(u));
    }
    auto audit = ordered_json::array();
    for (const auto& a : store_.list_request_audit(request.id)) {
        audit.push_back(format::staff_audit_entry(a));
    }
    auto notifications = ordered_json::array();
    for (const auto& n : store_.list_request_notifications(request.id)) {
        notifications.push_back(format::staff_notification(n));
    }
    body["updates"] = std::move(updates);
    body["audit"] = std::move(audit);
    body["notifications"] = std::move(notifications);
    auto response = respond_.json(body, status);
    response.headers.emplace_back("ETag", "\"" + std::to_string(request.version) + "\"");
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
    return staff_record(*request);
}

HttpResponse Handlers::admin_edit_request(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    const auto& id = ctx.path.at("id");
    auto body = nlohmann::json::parse(ctx.http.body, nullptr, false);
    if (body.is_discarded()) {
        return respond_.error(format::Format::json,
                              {ErrorCode::bad_request, "body: expected a JSON object"});
    }
    std::vector<ApiError> errors;
    const RequestEdit edit = read_request_edit(body, config_.profile, errors);
    bool malformed = false;
    auto if_match = version_from_if_match(ctx.http.if_match, malformed);
    if (malformed) {
        errors.push_back(
            {ErrorCode::bad_request,
             "If-Match: expected the ETag of GET /admin/v1/requests/{id}, e.g. \"3\""});
    }
    if (!errors.empty()) {
        return respond_.errors(format::Format::json, errors);
    }
    if (if_match && edit.version && *if_match != *edit.version) {
        return respond_.error(
            format::Format::json,
            {ErrorCode::bad_request, "version: differs from the If-Match header"});
    }
    const auto precondition = if_match ? if_match : edit.version;

    for (int attempt = 0; attempt < kEditAttempts; ++attempt) {
        auto current = store_.find_request(id);
        if (!current) {
            return respond_.error(format::Format::json,
                                  {ErrorCode::not_found, "no request '" + id + "'"});
        }
        if (precondition && *precondition != current->version) {
            return stale_response(id, *precondition, current->version);
        }
        const Timestamp at = now();
        auto result = apply_request_edit(*current, edit, at, errors);
        if (!errors.empty()) {
            return respond_.errors(format::Format::json, errors);
        }
        if (!result.changed) {
            return staff_record(*current);
        }
        RequestChange change;
        change.request_id = id;
        change.expected_version = current->version;
        change.after = result.after;
        change.audit.push_back({0,
                                at,
                                who,
                                "request.edit",
                                id,
                                "",
                                audit_detail(result.before_fields, result.after_fields)});
        if (result.status_changed) {
            change.new_updates.push_back(
                staff_update_for(result.after, edit.status_notes, who, at));
        }
        if (current->status == "open" && result.after.status == "closed") {
            if (auto n = processed_notification(result.after, at)) {
                change.notifications.push_back(std::move(*n));
            }
        }
        switch (store_.commit_request_change(change)) {
            case ChangeOutcome::applied:
                spdlog::info("case: request {} edited by key '{}'", id, who);
                return staff_record(*store_.find_request(id));
            case ChangeOutcome::not_found:
                return respond_.error(format::Format::json,
                                      {ErrorCode::not_found, "no request '" + id + "'"});
            case ChangeOutcome::stale:
                if (precondition) {
                    auto latest = store_.find_request(id);
                    return stale_response(id, *precondition, latest ? latest->version : 0);
                }
                break;  // no precondition: recompute on the newer version
        }
    }
    return respond_.error(
        format::Format::json,
        {ErrorCode::conflict, "the request is being changed by others right now; try again"});
}

HttpResponse Handlers::stale_response(const std::string& id,
                                      std::int64_t expected,
                                      std::int64_t actual) const {
    auto response = respond_.error(
        format::Format::json,
        {ErrorCode::conflict,
         "request '" + id + "' changed since version " + std::to_string(expected) + " (now " +
             std::to_string(actual) + "); reload it and apply the edit again"});
    response.headers.emplace_back("ETag", "\"" + std::to_string(actual) + "\"");
    return response;
}

RequestUpdate Handlers::staff_update_for(const ServiceRequest& after,
                                         const std::optional<std::string>& notes,
                                         const std::string& who,
                                         Timestamp at) const {
    RequestUpdate u;
    u.id = random_id(20);
    u.request_id = after.id;
    u.state = ModerationState::published;
    u.status = after.status;
    u.detailed_status = after.detailed_status;
    u.external_status = external_status_for(after.status, after.detailed_status);
    u.description = notes.value_or("");
    u.at = at;
    u.source = UpdateSource::staff;
    u.api_key_name = who;
    return u;
}

std::optional<Notification> Handlers::processed_notification(const ServiceRequest& request,
                                                             Timestamp at) const {
    if (request.submitter.email.empty()) {
        return std::nullopt;
    }
    const auto& locale =
        request.submitter.locale.empty() ? config_.default_locale : request.submitter.locale;
    const CatalogueView catalogue(store_);
    auto message = templates_.render(
        "request-processed",
        locale,
        config_.default_locale,
        {{"service_request_id", request.id},
         {"title", request.title},
         {"service_name", catalogue.name(request.service_code, locale, config_.default_locale)},
         {"status_notes", request.status_notes},
         {"detailed_status", request.detailed_status}});
    if (!message) {
        spdlog::warn("case: no 'request-processed' template; request {} not notified", request.id);
        return std::nullopt;
    }
    Notification n;
    n.request_id = request.id;
    n.kind = "request-processed";
    n.recipient = request.submitter.email;
    n.subject = std::move(message->subject);
    n.body = std::move(message->body);
    n.created_at = at;
    n.next_attempt_at = at;
    return n;
}

HttpResponse Handlers::moderate(const RequestContext& ctx, ModerationState target) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    const auto& id = ctx.path.at("id");
    std::string reason;
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
    for (int attempt = 0; attempt < kEditAttempts; ++attempt) {
        auto request = store_.find_request(id);
        if (!request) {
            return respond_.error(format::Format::json,
                                  {ErrorCode::not_found, "no request '" + id + "'"});
        }
        if (target == ModerationState::published && !request->can_be_published) {
            return respond_.error(
                format::Format::json,
                {ErrorCode::conflict,
                 "the sender did not allow publication (can_be_published=false); the request "
                 "cannot be published"});
        }
        if (target == ModerationState::pending && request->state != ModerationState::published) {
            return respond_.error(
                format::Format::json,
                {ErrorCode::conflict, "only a published request can be unpublished"});
        }
        const Timestamp at = now();
        ServiceRequest after = *request;
        after.state = target;
        after.reject_reason = target == ModerationState::rejected ? reason : std::string();
        after.updated_at = at;
        ordered_json before_fields{{"state", to_string(request->state)}};
        ordered_json after_fields{{"state", to_string(target)}};
        if (after.reject_reason != request->reject_reason) {
            before_fields["reject_reason"] = request->reject_reason;
            after_fields["reject_reason"] = after.reject_reason;
        }
        static const char* const kActions[] = {
            "request.unpublish", "request.publish", "request.reject"};
        RequestChange change;
        change.request_id = id;
        change.expected_version = request->version;
        change.after = std::move(after);
        change.audit.push_back({0,
                                at,
                                who,
                                kActions[static_cast<int>(target)],
                                id,
                                "",
                                audit_detail(before_fields, after_fields)});
        auto outcome = store_.commit_request_change(change);
        if (outcome == ChangeOutcome::not_found) {
            return respond_.error(format::Format::json,
                                  {ErrorCode::not_found, "no request '" + id + "'"});
        }
        if (outcome == ChangeOutcome::applied) {
            spdlog::info(
                "moderation: request {} is now {} (by key '{}')", id, to_string(target), who);
            return staff_record(*store_.find_request(id));
        }
    }
    return respond_.error(
        format::Format::json,
        {ErrorCode::conflict, "the request is being changed by others right now; try again"});
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
