// Staff routes: "Authorization: Bearer KEY" with a staff or admin key, checked once per
// request from the role in the route table (api/routes.cpp).
#include "api/guard/staff_auth.hpp"

#include "api/guard/auth.hpp"

namespace open311::api {

std::optional<HttpResponse> require_role(const RequestContext& ctx,
                                         Role minimum,
                                         Store& store,
                                         const Responder& respond,
                                         std::string& actor) {
    const char* wanted = minimum == Role::admin ? "an admin key" : "a staff or admin key";
    auto token = bearer_token(ctx.http.authorization);
    if (token.empty()) {
        auto r =
            respond.error(format::Format::json,
                          {ErrorCode::unauthorized,
                           "Authorization: Bearer KEY required (" + std::string(wanted) + ")"});
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
    auto key = authenticate(store, token, now());
    if (!key) {
        return respond.error(format::Format::json,
                             {ErrorCode::forbidden, "invalid, revoked or expired API key"});
    }
    const bool allowed = minimum == Role::admin   ? key->role == Role::admin
                         : minimum == Role::staff ? key->role != Role::client
                                                  : true;
    if (!allowed) {
        return respond.error(format::Format::json,
                             {ErrorCode::forbidden,
                              "this key has the " + std::string(to_string(key->role)) + " role; " +
                                  wanted + " is required"});
    }
    actor = key->name;
    return std::nullopt;
}

}  // namespace open311::api
