// The API front: splits the target, strips the base path and the format suffix, routes,
// answers CORS preflights and 404/405, and turns any exception into a 500.
#include "api/api.hpp"

#include "api/admin/handlers.hpp"
#include "api/core/http_cache.hpp"
#include "api/core/router.hpp"
#include "api/core/shared.hpp"
#include "api/extension.hpp"
#include "api/georeport/handlers.hpp"
#include "api/guard/staff_auth.hpp"
#include "api/openapi/handlers.hpp"
#include "api/routes.hpp"
#include "api/upload/upload_spool.hpp"
#include "initiatives/handlers.hpp"
#include "telemetry/logging.hpp"
#include "telemetry/process_metrics.hpp"
#include "util/text.hpp"
#include "validate/fields.hpp"
#include "web/console.hpp"

#include "open311/store/store_error.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>

namespace open311::api {

struct Api::Impl {
    Impl(const Config& c, Store& s, std::shared_ptr<Extension> e)
        : config(c),
          shared(c, s),
          georeport(shared),
          staff(shared),
          reference(c, shared.respond, [this] { return openapi_parts(); }),
          extension(std::move(e)) {
        add_public_routes(public_routes, georeport);
        add_admin_routes(admin_routes, staff);
        add_reference_routes(admin_routes, reference);
        add_media_routes(media_routes, georeport);
        if (initiatives_enabled(c)) {
            initiatives = std::make_unique<initiatives::InitiativeHandlers>(shared);
            initiatives::add_initiative_routes(initiative_routes, *initiatives);
            initiatives::add_initiative_admin_routes(admin_routes, *initiatives);
        }
        if (c.console.enabled) {
            console = std::make_unique<web::Console>(shared);
        }
        name_routes_for_metrics();
    }

    /// Gives every route its counters in the HTTP metrics (by its pattern, which is the label).
    void name_routes_for_metrics() {
        std::vector<std::string> patterns;
        for (const Router* router : routers()) {
            auto more = router->patterns();
            patterns.insert(patterns.end(), more.begin(), more.end());
        }
        const auto ids = shared.metrics.http.set_routes(patterns);
        std::size_t next = 0;
        for (std::size_t i = 0; i < route_ids.size(); ++i) {
            const auto n = routers()[i]->patterns().size();
            route_ids[i].assign(ids.begin() + static_cast<std::ptrdiff_t>(next),
                                ids.begin() + static_cast<std::ptrdiff_t>(next + n));
            next += n;
        }
    }
    std::array<const Router*, 4> routers() const {
        return {&public_routes, &admin_routes, &media_routes, &initiative_routes};
    }
    /// The metrics' id of route `index` of `router`.
    int route_id(const Router* router, std::size_t index) const {
        const auto all = routers();
        for (std::size_t i = 0; i < all.size(); ++i) {
            if (all[i] == router && index < route_ids[i].size()) {
                return route_ids[i][index];
            }
        }
        return -1;
    }

    /// The answer to `request`; with `memory_only`, nullopt where a handler would have to ask
    /// the store (see Api::answer_from_memory); with a `loop`, nullopt where the route's
    /// handler cannot answer on that I/O thread (see Api::answer_on_loop).
    std::optional<HttpResponse> route(const HttpRequest& request,
                                      bool memory_only,
                                      Later* later = nullptr,
                                      boost::asio::io_context* loop = nullptr) const;
    /// Api::handle with a Reply; with a `loop`, answer_on_loop (false: not answered).
    bool run(const HttpRequest& request,
             Post post,
             Reply reply,
             boost::asio::io_context* loop) const;
    /// Runs `answer` inside the error boundary: an exception becomes a 500 (a 503 when the
    /// database is unavailable) in the request's format, its details logged with the request
    /// id; `failed` tells which.
    HttpResponse guarded(const HttpRequest& request,
                         const std::function<HttpResponse()>& answer,
                         bool& failed) const;
    /// finish(), then the extension's look at the answer.
    void complete(const HttpRequest& request,
                  HttpResponse& response,
                  std::chrono::steady_clock::time_point started) const;
    /// What every answer gets once it is made: HTTP caching, CORS, the fixed headers.
    void finish(const HttpRequest& request, HttpResponse& response) const;
    std::vector<RouteEntry> routes() const;
    /// What the OpenAPI document describes beside the parts every server has.
    OpenApiParts openapi_parts() const;
    void add_cors(const HttpRequest& request, HttpResponse& response) const;
    /// The headers every answer carries (Config::response_headers).
    HttpResponse& with_response_headers(HttpResponse& response) const {
        for (const auto& header : config.response_headers) {
            response.headers.push_back(header);
        }
        return response;
    }

    const Config& config;
    Shared shared;
    GeoReportHandlers georeport;
    StaffHandlers staff;
    ReferenceHandlers reference;
    Router public_routes;
    Router admin_routes;
    Router media_routes;
    std::unique_ptr<initiatives::InitiativeHandlers> initiatives;  ///< when enabled
    Router initiative_routes;  ///< relative to initiatives.base_path
    std::shared_ptr<Extension> extension;
    /// The staff console under /staff/ (nullptr when console.enabled is off).
    std::unique_ptr<web::Console> console;
    /// The metrics' route ids of each router's routes, in routers() order.
    std::array<std::vector<int>, 4> route_ids;
};

Api::Api(const Config& config, Store& store, std::shared_ptr<Extension> extension)
    : impl_(std::make_unique<Impl>(config, store, std::move(extension))) {}

Api::~Api() = default;

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

void Api::Impl::add_cors(const HttpRequest& request, HttpResponse& response) const {
    if (request.origin.empty() || config.cors_origins.empty()) {
        return;
    }
    const auto& allowed = config.cors_origins;
    const bool any = std::find(allowed.begin(), allowed.end(), "*") != allowed.end();
    if (!any && std::find(allowed.begin(), allowed.end(), request.origin) == allowed.end()) {
        return;
    }
    response.headers.emplace_back("Access-Control-Allow-Origin", any ? "*" : request.origin);
    if (!any) {
        response.headers.emplace_back("Vary", "Origin");
    }
    response.headers.emplace_back(
        "Access-Control-Expose-Headers",
        "X-Total-Count, Link, X-Request-Id, Retry-After, Idempotent-Replayed");
    if (request.method == Method::options) {
        for (const auto& [name, value] : response.headers) {
            if (name == "Allow") {
                response.headers.emplace_back("Access-Control-Allow-Methods", value);
                break;
            }
        }
        response.headers.emplace_back("Access-Control-Allow-Headers",
                                      "Authorization, Content-Type, Accept, Idempotency-Key");
        response.headers.emplace_back("Access-Control-Max-Age", "600");
    }
}

HttpResponse Api::handle(const HttpRequest& request) const {
    if (request.method == Method::get || request.method == Method::head ||
        request.method == Method::options) {
        // A read never defers (its handlers answer at once without a Later): the I/O threads
        // take this path for every read on a local database, so it skips the waiting below.
        const auto started = std::chrono::steady_clock::now();
        const telemetry::RequestLogScope log_scope(request.request_id);
        const Impl& impl = *impl_;
        bool failed = false;
        auto response = impl.guarded(
            request,
            [&impl, &request] {
                std::optional<HttpResponse> own;
                if (impl.extension) {
                    own = impl.extension->intercept(request);
                }
                return own ? std::move(*own) : *impl.route(request, false);
            },
            failed);
        impl.complete(request, response, started);
        return response;
    }
    // The path of every other request, with this thread as the worker that finishes a deferred
    // answer: it waits for the rest to be posted, runs it, and returns its answer. Shared: a
    // rest posted after an early answer (a handler that threw after deferring) finds it alive.
    struct Wait {
        std::mutex mutex;
        std::condition_variable ready;
        std::function<void()> work;
        std::optional<HttpResponse> answer;
    };
    auto wait = std::make_shared<Wait>();
    handle(
        request,
        [wait](std::function<void()> work) {
            std::lock_guard lock(wait->mutex);
            wait->work = std::move(work);
            wait->ready.notify_one();
        },
        [wait](HttpResponse answer) {
            std::lock_guard lock(wait->mutex);
            wait->answer = std::move(answer);
            wait->ready.notify_one();
        });
    std::unique_lock lock(wait->mutex);
    while (!wait->answer) {
        wait->ready.wait(lock, [&wait] { return wait->answer || wait->work; });
        if (wait->work) {
            auto work = std::move(wait->work);
            wait->work = nullptr;
            lock.unlock();
            work();  // gives the answer
            lock.lock();
        }
    }
    return std::move(*wait->answer);
}

void Api::handle(const HttpRequest& request, Post post, Reply reply) const {
    impl_->run(request, std::move(post), std::move(reply), nullptr);
}

bool Api::answer_on_loop(const HttpRequest& request,
                         boost::asio::io_context& loop,
                         Post post,
                         Reply reply) const {
    if (impl_->extension || !impl_->shared.store.reads_on_loop(loop)) {
        return false;  // the extension sees every request on handle()'s path
    }
    return impl_->run(request, std::move(post), std::move(reply), &loop);
}

bool Api::Impl::run(const HttpRequest& request,
                    Post post,
                    Reply reply,
                    boost::asio::io_context* loop) const {
    const auto started = std::chrono::steady_clock::now();
    const telemetry::RequestLogScope log_scope(request.request_id);
    const Impl& impl = *this;
    Later later(std::move(post),
                std::move(reply),
                [&impl, &request, started](
                    const Later::Rest& rest, const std::string& route, int route_id) {
                    const telemetry::RequestLogScope scope(request.request_id);
                    bool failed = false;
                    auto response = impl.guarded(request, rest, failed);
                    if (!failed) {
                        response.route = route;
                        response.route_id = route_id;
                    }
                    impl.complete(request, response, started);
                    return response;
                });
    bool failed = false;
    bool routed = true;
    auto response = guarded(
        request,
        [&impl, &request, &later, loop, &routed] {
            std::optional<HttpResponse> own;
            if (impl.extension && loop == nullptr) {
                own = impl.extension->intercept(request);
            }
            if (own) {
                return std::move(*own);
            }
            auto r = impl.route(request, false, &later, loop);
            if (!r) {
                routed = false;  // not a route answered on the loop: nothing was started
                return HttpResponse{};
            }
            return std::move(*r);
        },
        failed);
    if (!routed && !failed) {
        return false;
    }
    if (later.deferred() && !failed) {
        return true;  // the handler answers through its Resume
    }
    complete(request, response, started);
    later.answer(std::move(response));
    return true;
}

HttpResponse Api::Impl::guarded(const HttpRequest& request,
                                const std::function<HttpResponse()>& answer,
                                bool& failed) const {
    try {
        return answer();
    } catch (const std::exception& e) {
        failed = true;
        // The boundary: details go to the log with the request id, never to the client.
        spdlog::error("request {} failed: {}", request.request_id, e.what());
        auto fmt = negotiate_accept(request.accept);
        std::string path = request.target.substr(0, request.target.find('?'));
        if (auto suffix = strip_format_suffix(path)) {
            fmt = *suffix;
        }
        // A database that cannot be reached (a PostgreSQL server restarting, a lost connection)
        // is a passing state, not a bug: 503, so that clients and proxies retry.
        HttpResponse response;
        const auto* store_error = dynamic_cast<const StoreError*>(&e);
        if (store_error != nullptr && store_error->code() == StoreErrc::unavailable) {
            response =
                shared.respond.error(fmt,
                                     {ErrorCode::service_unavailable,
                                      "the database is unavailable; retry shortly (request id " +
                                          request.request_id + ")"});
            response.headers.emplace_back("Retry-After", "5");
        } else {
            response = shared.respond.error(
                fmt,
                {ErrorCode::internal,
                 "internal server error; please report request id " + request.request_id});
        }
        response.route = "(error)";
        return response;
    }
}

void Api::Impl::complete(const HttpRequest& request,
                         HttpResponse& response,
                         std::chrono::steady_clock::time_point started) const {
    finish(request, response);
    if (extension) {
        extension->observe(request,
                           response,
                           std::chrono::duration_cast<std::chrono::microseconds>(
                               std::chrono::steady_clock::now() - started));
    }
}

std::optional<HttpResponse> Api::answer_from_memory(const HttpRequest& request) const {
    if (impl_->extension) {
        return std::nullopt;  // it must see every request, on the path handle() takes
    }
    std::optional<HttpResponse> response;
    try {
        response = impl_->route(request, true);
    } catch (const std::exception&) {
        return std::nullopt;  // handle() answers it, with the error boundary's log line
    }
    if (response) {
        impl_->finish(request, *response);
    }
    return response;
}

void Api::Impl::finish(const HttpRequest& request, HttpResponse& response) const {
    apply_http_cache(request, response);
    add_cors(request, response);
    add_security_headers(response);
    with_response_headers(response);
}

HttpResponse Api::transport_error(const ApiError& error,
                                  std::string_view target,
                                  std::string_view accept) const {
    std::string path(target.substr(0, target.find('?')));
    auto suffix = strip_format_suffix(path);
    auto response = impl_->shared.respond.error(suffix ? *suffix : negotiate_accept(accept), error);
    return impl_->with_response_headers(response);
}

HttpResponse Api::file_gone() const {
    auto response =
        impl_->shared.respond.error(format::Format::json, {ErrorCode::not_found, "no such media"});
    return impl_->with_response_headers(response);
}

std::vector<RouteEntry> Api::routes() const {
    return impl_->routes();
}

std::unique_ptr<Upload> Api::start_upload(std::string_view content_type) const {
    return std::unique_ptr<Upload>(
        new Upload(std::make_unique<UploadSpool>(impl_->config, content_type)));
}

telemetry::HttpMetrics& Api::http_metrics() const {
    return impl_->shared.metrics.http;
}

Upload::Upload(std::unique_ptr<UploadSpool> spool) : spool_(std::move(spool)) {}

Upload::~Upload() = default;

void Upload::feed(std::string_view data) {
    spool_->feed(data);
}

std::shared_ptr<UploadedForm> Upload::finish() {
    return spool_->finish();
}

}  // namespace open311::api
