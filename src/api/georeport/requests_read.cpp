// GeoReport v2 "GET Service Requests", "GET Service Request", "GET request id from a token";
// CitySDK: extensions, locale; moderation: only published requests are listed.
#include "api/georeport/handlers.hpp"
#include "format/trees.hpp"
#include "store/catalogue_view.hpp"
#include "validate/public_query.hpp"
#include "validate/search_query.hpp"

namespace open311::api {

namespace {

std::string page_link(const RequestContext& ctx, int page) {
    std::string out = ctx.http.target.substr(0, ctx.http.target.find('?'));
    bool first = true;
    for (const auto& [name, value] : ctx.query.items()) {
        // A key has no place in a link a client may log or share.
        if (name == "page" || name == "api_key") {
            continue;
        }
        out += (first ? "?" : "&") + percent_encode(name) + "=" + percent_encode(value);
        first = false;
    }
    return out + (first ? "?" : "&") + "page=" + std::to_string(page);
}

}  // namespace

std::string GeoReportHandlers::list_cache_key(const RequestContext& ctx) {
    // The format may come from Accept; everything else the answer depends on is in the target.
    const char* kind = ctx.geojson                          ? "geojson "
                       : ctx.format == format::Format::json ? "json "
                                                            : "xml ";
    return kind + ctx.http.target;
}

std::optional<HttpResponse> GeoReportHandlers::search_requests_from_memory(
    const RequestContext& ctx) const {
    const auto version = s_.store.change_version();
    if (!version) {
        return std::nullopt;
    }
    return list_cache_.find(list_cache_key(ctx), *version, ListCache::Clock::now());
}

HttpResponse GeoReportHandlers::search_requests(const RequestContext& ctx) const {
    // The same list asked again before anything was written gets the same bytes.
    const std::string cache_key = list_cache_key(ctx);
    const auto version = s_.store.change_version();
    if (!version) {
        return render_request_list(ctx);  // the store cannot say when an answer goes stale
    }
    const auto started = ListCache::Clock::now();
    if (auto cached = list_cache_.find(cache_key, *version, started)) {
        return std::move(*cached);
    }
    auto response = render_request_list(ctx);
    list_cache_.keep(cache_key, *version, started, response);
    return response;
}

HttpResponse GeoReportHandlers::render_request_list(const RequestContext& ctx) const {
    if (auto e = validate::check_jurisdiction(s_.config, ctx.query)) {
        return s_.respond.error(ctx.format, *e);
    }
    validate::SearchQuery query;
    auto errors = validate::search_query(ctx.query, s_.config.profile, now(), query);
    if (!errors.empty()) {
        return s_.respond.errors(ctx.format, errors);
    }
    query.filter.states = {ModerationState::published};
    query.filter.public_only = true;
    auto page = s_.store.search_requests(query.filter);

    const CatalogueView catalogue(s_.store);
    const std::string locale = validate::locale_of(s_.config, ctx.query);
    std::vector<format::PublicRequestItem> items;
    items.reserve(page.items.size());
    for (auto& r : page.items) {
        s_.links.add_to(r);
        items.push_back({&r, &catalogue.name(r.service_code, locale, s_.config.default_locale)});
    }
    const bool has_next =
        query.filter.offset + static_cast<std::int64_t>(page.items.size()) < page.total;
    HttpResponse response;
    if (ctx.geojson) {
        std::vector<format::GeoLink> links;
        if (has_next) {
            links.push_back({"next", page_link(ctx, query.page + 1)});
        }
        if (query.page > 1) {
            links.push_back({"prev", page_link(ctx, query.page - 1)});
        }
        response = s_.respond.public_features(items, query.extensions, false, links);
    } else {
        response = s_.respond.public_requests(items, query.extensions, false, ctx.format);
    }
    response.headers.emplace_back("X-Total-Count", std::to_string(page.total));
    if (has_next) {
        response.headers.emplace_back("Link",
                                      "<" + page_link(ctx, query.page + 1) + ">; rel=\"next\"");
    }
    return response;
}

HttpResponse GeoReportHandlers::get_request(const RequestContext& ctx) const {
    if (auto e = validate::check_jurisdiction(s_.config, ctx.query)) {
        return s_.respond.error(ctx.format, *e);
    }
    std::vector<ApiError> errors;
    const bool extensions = validate::read_bool(ctx.query, "extensions", false, errors);
    if (!errors.empty()) {
        return s_.respond.errors(ctx.format, errors);
    }
    RequestView view{ctx.format,
                     ctx.geojson,
                     extensions,
                     validate::locale_of(s_.config, ctx.query),
                     ctx.path.at("service_request_id"),
                     nullptr};
    if (ctx.loop != nullptr && ctx.later != nullptr) {
        // Store::reads_on_loop found it in memory a moment ago, on this thread.
        view.catalogue = s_.store.catalogue_in_memory();
        // On the I/O thread (Router::add_loop_answer): the store calls back on this loop once
        // the row is in, and the answer is made here too, with no other thread involved.
        const std::string id = view.id;
        s_.store.find_request_on(
            *ctx.loop,
            id,
            [this, view = std::move(view), resume = ctx.later->defer()](
                std::optional<ServiceRequest> request, std::exception_ptr error) mutable {
                auto go = std::move(resume);
                go([this, view = std::move(view), request = std::move(request), error]() mutable
                   -> HttpResponse {
                    if (error) {
                        std::rethrow_exception(error);  // the error boundary answers (503)
                    }
                    return request_answer(view, std::move(request));
                });
            });
        return {};  // answered later (ctx.later)
    }
    return request_answer(view, s_.store.find_request(view.id));
}

HttpResponse GeoReportHandlers::request_answer(const RequestView& view,
                                               std::optional<ServiceRequest> request) const {
    const auto not_found =
        ApiError{ErrorCode::not_found, "service_request_id: no request '" + view.id + "'"};
    if (!request || request->state == ModerationState::rejected) {
        return s_.respond.error(view.format, not_found);
    }
    auto detail = format::Detail::full;
    if (request->state == ModerationState::pending) {
        if (s_.config.profile.pending_by_id == PendingVisibility::hidden) {
            return s_.respond.error(view.format, not_found);
        }
        detail = format::Detail::partial;
    }
    s_.links.add_to(*request);
    const CatalogueView catalogue =
        view.catalogue ? CatalogueView(view.catalogue) : CatalogueView(s_.store);
    const std::vector<format::PublicRequestItem> items{
        {&*request,
         &catalogue.name(request->service_code, view.locale, s_.config.default_locale),
         detail}};
    if (view.geojson) {
        return s_.respond.public_features(items, view.extensions, true, {});
    }
    return s_.respond.public_requests(items, view.extensions, true, view.format);
}

}  // namespace open311::api
