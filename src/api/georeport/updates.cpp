// GeoReport v2 with the FMS extensions: GET/POST Service Request Updates, GET update_id from a
// token. What a posted update does to its request is the workflow's (workflow/updates.cpp).
#include "api/georeport/handlers.hpp"
#include "format/datetime.hpp"
#include "format/workflow_trees.hpp"
#include "util/text.hpp"
#include "validate/new_update.hpp"
#include "validate/public_query.hpp"

namespace open311::api {

namespace {

constexpr Timestamp kDefaultWindow = 24 * 3600;  // GeoReport v2: "a span of 24 hours"

}  // namespace

HttpResponse GeoReportHandlers::update_list(const RequestContext& ctx) const {
    if (auto e = validate::check_jurisdiction(s_.config, ctx.query)) {
        return s_.respond.error(ctx.format, *e);
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
        return s_.respond.errors(ctx.format, errors);
    }
    UpdateFilter filter;
    filter.states = {ModerationState::published};
    filter.request_states = {ModerationState::published};
    filter.to = end ? *end : now();
    filter.from = start ? *start : *filter.to - kDefaultWindow;
    if (*filter.from > *filter.to) {
        return s_.respond.error(ctx.format,
                                {ErrorCode::bad_request, "start_date: must not be after end_date"});
    }
    auto updates = s_.store.search_updates(filter);
    return s_.respond.document(format::updates_tree(updates,
                                                    s_.config.extended_update_statuses
                                                        ? format::UpdateStatusStyle::extended
                                                        : format::UpdateStatusStyle::basic),
                               ctx.format);
}

HttpResponse GeoReportHandlers::create_update(const RequestContext& ctx) const {
    // The same POST limits as new requests: an address and a key share one bucket each.
    if (auto limited = limits_.by_address(ctx)) {
        return *limited;
    }
    PostForm post;  // files of an update are not kept (FMS sends none)
    if (auto refused = open_post(ctx, post)) {
        return *refused;
    }
    const auto& key = post.key;
    RequestUpdate update;
    auto errors = validate::new_update(post.fields, s_.config.profile, update);
    if (!errors.empty()) {
        return s_.respond.errors(ctx.format, errors);
    }
    const bool moderated = s_.config.moderate_client_updates && key->role == Role::client;
    auto outcome = s_.cases.add_client_update(std::move(update), key->name, moderated);
    if (!outcome.ok()) {
        return s_.respond.errors(ctx.format, outcome.errors);
    }
    return s_.respond.document(format::update_post_response_tree(*outcome.value), ctx.format);
}

}  // namespace open311::api
