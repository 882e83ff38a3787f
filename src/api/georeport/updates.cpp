// GeoReport v2 with the FMS extensions: GET/POST Service Request Updates, GET update_id from a
// token; and the staff side: the queue of client updates awaiting moderation.
#include "api/guard/auth.hpp"
#include "api/core/catalogue_view.hpp"
#include "api/handlers.hpp"
#include "format/datetime.hpp"
#include "format/workflow_trees.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "validate/new_update.hpp"

#include "open311/domain/status_map.hpp"

#include <spdlog/spdlog.h>

namespace open311::api {

namespace {

using nlohmann::ordered_json;

constexpr Timestamp kDefaultWindow = 24 * 3600;  // GeoReport v2: "a span of 24 hours"
constexpr int kMaxUpdates = 1000;                // "or the first thousand"

/// The request as it is once `update` takes effect: its status and detailed status move to
/// what the update says. Returns false when nothing changes.
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

std::string status_detail(const ServiceRequest& before, const ServiceRequest& after) {
    ordered_json detail;
    detail["before"] = {{"status", before.status}, {"detailed_status", before.detailed_status}};
    detail["after"] = {{"status", after.status}, {"detailed_status", after.detailed_status}};
    return detail.dump();
}

/// The form of a POST: urlencoded, or the fields of a multipart body.
std::optional<Params> update_form(const HttpRequest& http, std::string& problem) {
    auto type = to_lower(trim(http.content_type.substr(0, http.content_type.find(';'))));
    if (type == "application/x-www-form-urlencoded" || type.empty()) {
        return parse_form(http.body);
    }
    if (type == "multipart/form-data") {
        if (auto body = parse_multipart(http.body, http.content_type)) {
            return std::move(body->fields);
        }
        problem = "malformed multipart/form-data body (check the boundary and the part headers)";
        return std::nullopt;
    }
    problem = "Content-Type must be application/x-www-form-urlencoded or multipart/form-data";
    return std::nullopt;
}

}  // namespace

HttpResponse Handlers::update_list(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    std::vector<ApiError> errors;
    auto read_time = [&](const char* name) -> std::optional<Timestamp> {
        auto raw = ctx.query.get(name);
        if (!raw) {
            return std::nullopt;
        }
        auto t = format::parse_w3c(trim(*raw));
        if (!t) {
            errors.push_back(
                {ErrorCode::bad_request,
                 std::string(name) + ": expected a W3C datetime such as 2026-05-01T12:00:00Z"});
        }
        return t;
    };
    const auto start = read_time("start_date");
    const auto end = read_time("end_date");
    if (!errors.empty()) {
        return respond_.errors(ctx.format, errors);
    }
    UpdateFilter filter;
    filter.states = {ModerationState::published};
    filter.request_states = {ModerationState::published};
    filter.to = end ? *end : now();
    filter.from = start ? *start : *filter.to - kDefaultWindow;
    if (*filter.from > *filter.to) {
        return respond_.error(ctx.format,
                              {ErrorCode::bad_request, "start_date: must not be after end_date"});
    }
    filter.limit = kMaxUpdates;
    auto updates = store_.search_updates(filter);
    return respond_.document(
        format::updates_tree(updates,
                             config_.extended_update_statuses ? format::UpdateStatusStyle::extended
                                                              : format::UpdateStatusStyle::basic),
        ctx.format);
}

HttpResponse Handlers::create_update(const RequestContext& ctx) const {
    // The same POST limits as new requests: an address and a key share one bucket each.
    if (auto limited = limit_address(ctx)) {
        return *limited;
    }
    std::string problem;
    auto parsed = update_form(ctx.http, problem);
    if (!parsed) {
        return respond_.error(ctx.format, {ErrorCode::bad_request, problem});
    }
    Params form = std::move(*parsed);
    form.merge(ctx.query);
    if (auto e = check_jurisdiction(form)) {
        return respond_.error(ctx.format, *e);
    }
    auto key = authenticate(store_, form.get("api_key").value_or(""), now());
    if (!key) {
        return respond_.error(ctx.format,
                              {ErrorCode::forbidden,
                               form.get("api_key") ? "api_key: invalid, revoked or expired API key"
                                                   : "api_key: required"});
    }
    if (auto limited = limit_key(ctx, *key)) {
        return *limited;
    }
    RequestUpdate update;
    auto errors = validate::new_update(form, config_.profile, update);
    if (!errors.empty()) {
        return respond_.errors(ctx.format, errors);
    }
    const bool moderated = config_.moderate_client_updates && key->role == Role::client;
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto request = store_.find_request(update.request_id);
        if (!request || request->state == ModerationState::rejected) {
            return respond_.error(
                ctx.format,
                {ErrorCode::not_found,
                 "service_request_id: no request '" + shorten(update.request_id, 40) + "'"});
        }
        const Timestamp at = now();
        update.id = random_id(20);
        update.at = at;
        update.source = UpdateSource::client;
        update.api_key_name = key->name;
        update.state = moderated ? ModerationState::pending : ModerationState::published;
        // As for requests, only batch services answer a token. A moderated update still gets
        // its id at once: FixMyStreet reads a token answer as a *request* token and would post
        // the update again.
        const CatalogueView catalogue(store_);
        const auto* service = catalogue.find(request->service_code);
        const bool batch = service != nullptr && service->type == ServiceType::batch;
        update.token = batch ? random_id(24) : std::string();
        update.detailed_status = request->detailed_status;

        RequestChange change;
        change.request_id = request->id;
        if (!moderated) {
            ServiceRequest after = *request;
            if (apply_update_status(after, update, at)) {
                update.detailed_status = after.detailed_status;
                change.audit.push_back({0,
                                        at,
                                        key->name,
                                        "update.apply",
                                        request->id,
                                        update.id,
                                        status_detail(*request, after)});
                if (request->status == "open" && after.status == "closed") {
                    if (auto n = processed_notification(after, at)) {
                        change.notifications.push_back(std::move(*n));
                    }
                }
                change.expected_version = request->version;
                change.after = std::move(after);
            }
        }
        change.new_updates.push_back(update);
        auto outcome = store_.commit_request_change(change);
        if (outcome == ChangeOutcome::applied) {
            spdlog::info("update {} for request {} {} (key '{}')",
                         update.id,
                         request->id,
                         moderated ? "awaits moderation" : "published",
                         key->name);
            return respond_.document(format::update_post_response_tree(update), ctx.format);
        }
        if (outcome == ChangeOutcome::not_found) {
            break;
        }
    }
    return respond_.error(ctx.format,
                          {ErrorCode::conflict, "the request changed meanwhile; try again"});
}

HttpResponse Handlers::get_update_token(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    const auto& token = ctx.path.at("token");
    auto id = store_.find_update_id_by_token(token);
    if (!id) {
        return respond_.error(ctx.format,
                              {ErrorCode::not_found, "token: no token '" + token + "'"});
    }
    return respond_.document(format::update_token_tree(token, *id), ctx.format);
}

HttpResponse Handlers::admin_list_updates(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    UpdateFilter filter;
    filter.limit = kMaxUpdates;
    if (auto state = ctx.query.get("state")) {
        auto parsed = moderation_state_from(to_lower(trim(*state)));
        if (!parsed) {
            return respond_.error(
                format::Format::json,
                {ErrorCode::bad_request, "state: expected pending, published or rejected"});
        }
        filter.states = {*parsed};
    }
    auto list = ordered_json::array();
    for (const auto& u : store_.search_updates(filter)) {
        list.push_back(format::staff_update(u));
    }
    ordered_json body;
    body["updates"] = std::move(list);
    return respond_.json(body);
}

HttpResponse Handlers::moderate_update(const RequestContext& ctx, ModerationState target) const {
    std::string who;
    if (auto denied = require_staff(ctx, who)) {
        return *denied;
    }
    const auto& id = ctx.path.at("id");
    for (int attempt = 0; attempt < 3; ++attempt) {
        auto update = store_.find_update(id);
        if (!update) {
            return respond_.error(format::Format::json,
                                  {ErrorCode::not_found, "no update '" + id + "'"});
        }
        if (update->state != ModerationState::pending) {
            return respond_.error(format::Format::json,
                                  {ErrorCode::conflict,
                                   "update '" + id + "' is already " + to_string(update->state)});
        }
        auto request = store_.find_request(update->request_id);
        if (!request) {
            return respond_.error(
                format::Format::json,
                {ErrorCode::not_found, "no request '" + update->request_id + "'"});
        }
        const Timestamp at = now();
        RequestChange change;
        change.request_id = request->id;
        change.update_states.emplace_back(id, target);
        ordered_json before{{"state", "pending"}};
        ordered_json after_fields{{"state", to_string(target)}};
        if (target == ModerationState::published) {
            ServiceRequest after = *request;
            if (apply_update_status(after, *update, at)) {
                before["request"] = {{"status", request->status},
                                     {"detailed_status", request->detailed_status}};
                after_fields["request"] = {{"status", after.status},
                                           {"detailed_status", after.detailed_status}};
                if (request->status == "open" && after.status == "closed") {
                    if (auto n = processed_notification(after, at)) {
                        change.notifications.push_back(std::move(*n));
                    }
                }
                change.expected_version = request->version;
                change.after = std::move(after);
            }
        }
        change.audit.push_back(
            {0,
             at,
             who,
             target == ModerationState::published ? "update.publish" : "update.reject",
             request->id,
             id,
             ordered_json{{"before", before}, {"after", after_fields}}.dump()});
        auto outcome = store_.commit_request_change(change);
        if (outcome == ChangeOutcome::applied) {
            auto stored = store_.find_update(id);
            return respond_.json(format::staff_update(stored ? *stored : *update));
        }
        if (outcome == ChangeOutcome::not_found) {
            return respond_.error(format::Format::json,
                                  {ErrorCode::not_found, "no update '" + id + "'"});
        }
    }
    return respond_.error(format::Format::json,
                          {ErrorCode::conflict, "the request changed meanwhile; try again"});
}

HttpResponse Handlers::admin_publish_update(const RequestContext& ctx) const {
    return moderate_update(ctx, ModerationState::published);
}

HttpResponse Handlers::admin_reject_update(const RequestContext& ctx) const {
    return moderate_update(ctx, ModerationState::rejected);
}

}  // namespace open311::api
