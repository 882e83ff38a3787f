// From a target to its handler's answer: splits the target, strips the base path and the
// format suffix, routes, answers CORS preflights and 404/405, and checks the route's role.
#include "api/api_impl.hpp"
#include "api/guard/staff_auth.hpp"
#include "validate/fields.hpp"

namespace open311::api {

namespace {

std::string allow_header(const std::vector<Method>& methods) {
    std::string out;
    auto add = [&out](const char* m) {
        out += (out.empty() ? "" : ", ") + std::string(m);
    };
    for (auto m : methods) {
        add(to_string(m));
        if (m == Method::get) {
            add("HEAD");
        }
    }
    add("OPTIONS");
    return out;
}

}  // namespace

std::optional<HttpResponse> Api::Impl::route(const HttpRequest& request,
                                             bool memory_only,
                                             Later* later,
                                             boost::asio::io_context* loop) const {
    // RFC 9112: accept the absolute form "http://host/path" as well as "/path".
    std::string_view target = request.target;
    if (auto scheme = target.find("://"); scheme != std::string_view::npos && scheme < 6) {
        auto slash = target.find('/', scheme + 3);
        target = slash == std::string_view::npos ? std::string_view("/") : target.substr(slash);
    }
    const auto question = target.find('?');
    std::string path = percent_decode(target.substr(0, question), false);
    RequestContext ctx{request, format::Format::xml, {}, {}, {}, {}};
    if (question != std::string::npos) {
        ctx.query = parse_form(target.substr(question + 1));
    }

    const bool operations_path = path == "/healthz" || path == "/readyz" || path == "/metrics";
    if (request.operations_listener && !operations_path) {
        // metrics.listen serves monitoring only.
        auto r = shared.respond.error(format::Format::json,
                                      {ErrorCode::not_found, "no such resource: " + path});
        r.route = "(unmatched)";
        return r;
    }
    if (console && web::Console::owns(path)) {
        if (memory_only) {
            return std::nullopt;  // its pages read sessions from the store
        }
        return console->handle(request, path, ctx.query);
    }
    const Router* router = nullptr;
    bool geojson_suffix = false;
    const std::string& base = config.base_path;
    const std::string& initiatives_base = config.initiatives.base_path;
    if (path.rfind("/admin/", 0) == 0 || operations_path || path == "/openapi.json" ||
        path == "/docs" || path.rfind("/docs/", 0) == 0) {
        router = &admin_routes;
        ctx.format = format::Format::json;
    } else if (path.rfind("/media/", 0) == 0) {
        router = &media_routes;
        ctx.format = negotiate_accept(request.accept);
    } else if (initiatives && path.size() > initiatives_base.size() &&
               path.compare(0, initiatives_base.size(), initiatives_base) == 0 &&
               path[initiatives_base.size()] == '/') {
        // The initiatives API speaks JSON (and JSONP) only. A final ".json" is accepted, as the
        // reference service's framework does; ".xml" is left in place, so it matches nothing.
        router = &initiative_routes;
        path = path.substr(initiatives_base.size());
        if (path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0) {
            path.resize(path.size() - 5);
        }
        ctx.format = format::Format::json;
    } else if (path.size() > base.size() && path.compare(0, base.size(), base) == 0 &&
               path[base.size()] == '/') {
        router = &public_routes;
        path = path.substr(base.size());
        auto suffix = strip_format_suffix(path, &geojson_suffix);
        ctx.format = suffix ? *suffix : negotiate_accept(request.accept);
        ctx.geojson = geojson_suffix || (!suffix && prefers_geojson(request.accept));
    } else {
        ctx.format = negotiate_accept(request.accept);
        auto suffix = strip_format_suffix(path);
        if (suffix) {
            ctx.format = *suffix;
        }
        auto r = shared.respond.error(
            ctx.format, {ErrorCode::not_found, "no such resource; the API is under " + base + "/"});
        r.route = "(unmatched)";
        return r;
    }

    auto match = router->match(request.method, path);
    if (!match) {
        auto r =
            shared.respond.error(ctx.format, {ErrorCode::not_found, "no such resource: " + path});
        r.route = "(unmatched)";
        return r;
    }
    if (request.method == Method::options) {
        HttpResponse r;
        r.status = 204;
        r.headers.emplace_back("Allow", allow_header(match->allowed));
        r.route = "OPTIONS";
        return r;
    }
    if (match->handler == nullptr) {
        std::string method = request.method_name.empty() ? to_string(request.method)
                                                         : request.method_name.substr(0, 20);
        auto r = shared.respond.error(
            ctx.format,
            {ErrorCode::method_not_allowed, "method " + method + " is not allowed here"});
        r.headers.emplace_back("Allow", allow_header(match->allowed));
        r.route = "(method not allowed)";
        return r;
    }
    const int route_id = this->route_id(router, match->index);
    if (ctx.geojson && !match->geojson) {
        if (geojson_suffix) {
            auto r = shared.respond.error(
                ctx.format, {ErrorCode::not_found, "no GeoJSON representation of " + path});
            r.route = match->pattern;
            r.route_id = route_id;
            return r;
        }
        ctx.geojson = false;  // asked for by Accept only: plain JSON will do
    }
    if (!ctx.query.malformed().empty()) {
        // One rule for every route: a query parameter with a malformed escape, or not UTF-8
        // once decoded, is refused by name rather than read as something else (and, say, a
        // search for nothing answered with an empty list).
        auto r = shared.respond.errors(ctx.format, validate::encoding_errors(ctx.query));
        r.route = match->pattern;
        r.route_id = route_id;
        return r;
    }
    ctx.path = std::move(match->params);
    ctx.route = match->pattern;
    if (memory_only) {
        if (match->role || match->memory_answer == nullptr) {
            return std::nullopt;  // a key to look up, or a handler that reads the store
        }
        auto r = (*match->memory_answer)(ctx);
        if (r) {
            r->route = match->pattern;
        }
        return r;
    }
    if (loop != nullptr) {
        if (match->role || !match->on_loop) {
            return std::nullopt;  // its handler reads the store the blocking way
        }
        ctx.loop = loop;
    }
    if (match->role) {
        if (auto denied =
                require_role(ctx, *match->role, shared.store, shared.respond, ctx.actor)) {
            denied->route = match->pattern;
            denied->route_id = route_id;
            return *denied;
        }
    }
    if (later != nullptr) {
        later->name_route(match->pattern, route_id);
        ctx.later = later;
    }
    auto r = (*match->handler)(ctx);
    r.route = match->pattern;
    r.route_id = route_id;
    return r;
}

std::vector<RouteEntry> Api::Impl::routes() const {
    std::vector<RouteEntry> out;
    auto add = [&out](const Router& router, const std::string& prefix) {
        for (const auto& [method, pattern] : router.method_patterns()) {
            out.push_back(RouteEntry{method, prefix + pattern});
        }
    };
    add(public_routes, config.base_path);
    add(media_routes, "");
    add(admin_routes, "");
    if (initiatives) {
        add(initiative_routes, config.initiatives.base_path);
    }
    return out;
}

OpenApiParts Api::Impl::openapi_parts() const {
    OpenApiParts parts;
    parts.initiatives = initiatives != nullptr;
    for (const auto& route : routes()) {
        parts.metrics = parts.metrics || (route.method == Method::get && route.path == "/metrics");
    }
    return parts;
}

}  // namespace open311::api
