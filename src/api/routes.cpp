// The entire API surface on one screen: every route, its handler and the least role it needs
// (checked once, before the handler runs; public routes need none).
#include "api/routes.hpp"

#include "api/admin/handlers.hpp"
#include "api/georeport/handlers.hpp"
#include "api/openapi/handlers.hpp"

namespace open311::api {

namespace {
template <typename Group, typename Fn>
Handler bind(const Group& group, Fn fn) {
    return [&group, fn](const RequestContext& ctx) {
        return (group.*fn)(ctx);
    };
}
template <typename Group, typename Fn>
MemoryAnswer bind_memory(const Group& group, Fn fn) {
    return [&group, fn](const RequestContext& ctx) -> std::optional<HttpResponse> {
        return (group.*fn)(ctx);
    };
}
}  // namespace

void add_public_routes(Router& r, const GeoReportHandlers& h) {
    using H = GeoReportHandlers;
    r.add(Method::get, "/discovery", bind(h, &H::discovery));
    r.add(Method::get, "/services", bind(h, &H::service_list));
    r.add(Method::get, "/services/{service_code}", bind(h, &H::service_definition));
    r.add(Method::post, "/requests", bind(h, &H::create_request));
    constexpr auto geojson = GeoJson::offered;
    r.add(Method::get, "/requests", bind(h, &H::search_requests), std::nullopt, geojson);
    r.add(Method::get,
          "/requests/{service_request_id}",
          bind(h, &H::get_request),
          std::nullopt,
          geojson);
    r.add(Method::get, "/tokens/{token}", bind(h, &H::get_token));
    r.add(Method::get, "/servicerequestupdates", bind(h, &H::update_list));
    r.add(Method::post, "/servicerequestupdates", bind(h, &H::create_update));
    r.add(Method::get, "/update_tokens/{token}", bind(h, &H::get_update_token));
    // Answers from memory (see Router::add_memory_answer): the rest waits on the database.
    r.add_memory_answer(Method::get, "/discovery", bind_memory(h, &H::discovery));
    r.add_memory_answer(Method::get, "/services", bind_memory(h, &H::service_list_from_memory));
    r.add_memory_answer(Method::get,
                        "/services/{service_code}",
                        bind_memory(h, &H::service_definition_from_memory));
    r.add_memory_answer(Method::get, "/requests", bind_memory(h, &H::search_requests_from_memory));
    // Answered on the I/O thread where the store can read there without blocking.
    r.add_loop_answer(Method::get, "/requests/{service_request_id}");
}

void add_media_routes(Router& r, const GeoReportHandlers& h) {
    r.add(Method::get, "/media/{name}", bind(h, &GeoReportHandlers::get_media));
}

void add_admin_routes(Router& r, const StaffHandlers& h) {
    using H = StaffHandlers;
    constexpr auto staff = Role::staff;
    constexpr auto admin = Role::admin;
    r.add(Method::get, "/admin/v1/requests", bind(h, &H::list_requests), staff);
    r.add(Method::get, "/admin/v1/requests/{id}", bind(h, &H::get_request), staff);
    r.add(Method::patch, "/admin/v1/requests/{id}", bind(h, &H::edit_request), staff);
    r.add(Method::post, "/admin/v1/requests/{id}/publish", bind(h, &H::publish), staff);
    r.add(Method::post, "/admin/v1/requests/{id}/reject", bind(h, &H::reject), staff);
    r.add(Method::post, "/admin/v1/requests/{id}/unpublish", bind(h, &H::unpublish), staff);
    r.add(Method::get, "/admin/v1/media/{name}", bind(h, &H::get_media), staff);
    r.add(
        Method::delete_, "/admin/v1/requests/{id}/media/{name}", bind(h, &H::delete_media), staff);
    r.add(Method::get, "/admin/v1/updates", bind(h, &H::list_updates), staff);
    r.add(Method::post, "/admin/v1/updates/{id}/publish", bind(h, &H::publish_update), staff);
    r.add(Method::post, "/admin/v1/updates/{id}/reject", bind(h, &H::reject_update), staff);
    r.add(Method::get, "/admin/v1/audit", bind(h, &H::audit), staff);
    r.add(Method::get, "/admin/v1/services", bind(h, &H::list_services), admin);
    r.add(Method::post, "/admin/v1/services", bind(h, &H::create_service), admin);
    r.add(Method::get, "/admin/v1/services/{code}", bind(h, &H::get_service), admin);
    r.add(Method::patch, "/admin/v1/services/{code}", bind(h, &H::edit_service), admin);
    r.add(Method::delete_, "/admin/v1/services/{code}", bind(h, &H::deactivate_service), admin);
    r.add(Method::get, "/admin/v1/keys", bind(h, &H::list_keys), admin);
    r.add(Method::post, "/admin/v1/keys", bind(h, &H::create_key), admin);
    r.add(Method::delete_, "/admin/v1/keys/{name}", bind(h, &H::revoke_key), admin);
    r.add(Method::get, "/admin/v1/keys/{name}/usage", bind(h, &H::key_usage), admin);
    r.add(Method::get, "/healthz", bind(h, &H::health));
    r.add(Method::get, "/readyz", bind(h, &H::ready));
    r.add_memory_answer(Method::get, "/healthz", bind_memory(h, &H::health));
    r.add(Method::get, "/metrics", bind(h, &H::metrics));
}

void add_reference_routes(Router& r, const ReferenceHandlers& h) {
    using H = ReferenceHandlers;
    r.add(Method::get, "/openapi.json", bind(h, &H::openapi));
    r.add(Method::get, "/docs/", bind(h, &H::docs_page));
    r.add(Method::get, "/docs/{asset}", bind(h, &H::docs_asset));
}

}  // namespace open311::api
