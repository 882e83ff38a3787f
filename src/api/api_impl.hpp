#pragma once

// Api's private state, shared by api.cpp (the request's way through, the error boundary,
// the headers of every answer) and api_route.cpp (from a target to its handler's answer).
#include "api/admin/handlers.hpp"
#include "api/api.hpp"
#include "api/core/router.hpp"
#include "api/core/shared.hpp"
#include "api/extension.hpp"
#include "api/georeport/handlers.hpp"
#include "api/openapi/handlers.hpp"
#include "api/routes.hpp"
#include "initiatives/handlers.hpp"
#include "web/console.hpp"

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
    /// The extension's answer (not on a loop: it sees every request on handle()'s path), else
    /// route()'s, which is nullopt only with a `loop` (see there).
    std::optional<HttpResponse> intercept_or_route(const HttpRequest& request,
                                                   Later* later,
                                                   boost::asio::io_context* loop) const;
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

}  // namespace open311::api
