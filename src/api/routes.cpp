// The entire API surface on one screen.
#include "api/handlers.hpp"
#include "api/core/router.hpp"

namespace open311::api {

namespace {
template <typename Fn>
Handler bind(const Handlers& h, Fn fn) {
    return [&h, fn](const RequestContext& ctx) {
        return (h.*fn)(ctx);
    };
}
}  // namespace

void add_public_routes(Router& r, const Handlers& h) {
    r.add(Method::get, "/discovery", bind(h, &Handlers::discovery));
    r.add(Method::get, "/services", bind(h, &Handlers::service_list));
    r.add(Method::get, "/services/{service_code}", bind(h, &Handlers::service_definition));
    r.add(Method::post, "/requests", bind(h, &Handlers::create_request));
    r.add(Method::get, "/requests", bind(h, &Handlers::search_requests));
    r.add(Method::get, "/requests/{service_request_id}", bind(h, &Handlers::get_request));
    r.add(Method::get, "/tokens/{token}", bind(h, &Handlers::get_token));
    r.add(Method::get, "/servicerequestupdates", bind(h, &Handlers::update_list));
    r.add(Method::post, "/servicerequestupdates", bind(h, &Handlers::create_update));
    r.add(Method::get, "/update_tokens/{token}", bind(h, &Handlers::get_update_token));
}

void add_admin_routes(Router& r, const Handlers& h) {
    r.add(Method::get, "/admin/v1/requests", bind(h, &Handlers::admin_list_requests));
    r.add(Method::get, "/admin/v1/requests/{id}", bind(h, &Handlers::admin_get_request));
    r.add(Method::post, "/admin/v1/requests/{id}/publish", bind(h, &Handlers::admin_publish));
    r.add(Method::post, "/admin/v1/requests/{id}/reject", bind(h, &Handlers::admin_reject));
    r.add(Method::post, "/admin/v1/requests/{id}/unpublish", bind(h, &Handlers::admin_unpublish));
    r.add(Method::get, "/admin/v1/media/{name}", bind(h, &Handlers::admin_get_media));
    r.add(Method::delete_,
          "/admin/v1/requests/{id}/media/{name}",
          bind(h, &Handlers::admin_delete_media));
    r.add(Method::patch, "/admin/v1/requests/{id}", bind(h, &Handlers::admin_edit_request));
    r.add(Method::get, "/admin/v1/updates", bind(h, &Handlers::admin_list_updates));
    r.add(Method::post, "/admin/v1/updates/{id}/publish", bind(h, &Handlers::admin_publish_update));
    r.add(Method::post, "/admin/v1/updates/{id}/reject", bind(h, &Handlers::admin_reject_update));
    r.add(Method::get, "/admin/v1/services", bind(h, &Handlers::admin_list_services));
    r.add(Method::post, "/admin/v1/services", bind(h, &Handlers::admin_create_service));
    r.add(Method::get, "/admin/v1/services/{code}", bind(h, &Handlers::admin_get_service));
    r.add(Method::patch, "/admin/v1/services/{code}", bind(h, &Handlers::admin_edit_service));
    r.add(
        Method::delete_, "/admin/v1/services/{code}", bind(h, &Handlers::admin_deactivate_service));
    r.add(Method::get, "/admin/v1/keys", bind(h, &Handlers::admin_list_keys));
    r.add(Method::post, "/admin/v1/keys", bind(h, &Handlers::admin_create_key));
    r.add(Method::delete_, "/admin/v1/keys/{name}", bind(h, &Handlers::admin_revoke_key));
    r.add(Method::get, "/admin/v1/keys/{name}/usage", bind(h, &Handlers::admin_key_usage));
    r.add(Method::get, "/admin/v1/audit", bind(h, &Handlers::admin_audit));
    r.add(Method::get, "/healthz", bind(h, &Handlers::health));
}

void add_media_routes(Router& r, const Handlers& h) {
    r.add(Method::get, "/media/{name}", bind(h, &Handlers::get_media));
}

}  // namespace open311::api
