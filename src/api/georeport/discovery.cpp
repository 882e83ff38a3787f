// Shared handler helpers: jurisdiction, locale, staff and admin authentication; discovery and
// health.
#include "api/guard/auth.hpp"
#include "api/handlers.hpp"
#include "format/trees.hpp"
#include "util/text.hpp"

#include <algorithm>

namespace open311::api {

std::optional<ApiError> Handlers::check_jurisdiction(const Params& params) const {
    // With one jurisdiction the parameter is optional and ignored, whatever its value:
    // clients send whatever they were configured with.
    if (config_.jurisdictions.size() <= 1) {
        return std::nullopt;
    }
    auto id = params.get("jurisdiction_id");
    if (!id) {
        return ApiError{ErrorCode::bad_request, "jurisdiction_id: required by this server"};
    }
    if (std::find(config_.jurisdictions.begin(), config_.jurisdictions.end(), *id) ==
        config_.jurisdictions.end()) {
        return ApiError{ErrorCode::not_found,
                        "jurisdiction_id: unknown jurisdiction '" + *id + "'"};
    }
    return std::nullopt;
}

std::string Handlers::locale_of(const Params& params) const {
    // "fi", "fi_FI", "fi-FI" → "fi"; anything unsupported falls back to the default language.
    auto requested = params.get("locale");
    if (!requested) {
        return config_.default_locale;
    }
    auto language = to_lower(requested->substr(0, requested->find_first_of("_-")));
    if (std::find(config_.locales.begin(), config_.locales.end(), language) !=
        config_.locales.end()) {
        return language;
    }
    return config_.default_locale;
}

std::optional<HttpResponse> Handlers::require_staff(const RequestContext& ctx,
                                                    std::string& key_name) const {
    return require_role(ctx, Role::staff, key_name);
}

std::optional<HttpResponse> Handlers::require_admin(const RequestContext& ctx,
                                                    std::string& key_name) const {
    return require_role(ctx, Role::admin, key_name);
}

std::optional<HttpResponse> Handlers::require_role(const RequestContext& ctx,
                                                   Role minimum,
                                                   std::string& key_name) const {
    const char* wanted = minimum == Role::admin ? "an admin key" : "a staff or admin key";
    auto token = bearer_token(ctx.http.authorization);
    if (token.empty()) {
        auto r =
            respond_.error(format::Format::json,
                           {ErrorCode::unauthorized,
                            "Authorization: Bearer KEY required (" + std::string(wanted) + ")"});
        r.headers.emplace_back("WWW-Authenticate", "Bearer");
        return r;
    }
    auto key = authenticate(store_, token, now());
    if (!key) {
        return respond_.error(format::Format::json,
                              {ErrorCode::forbidden, "invalid, revoked or expired API key"});
    }
    const bool allowed =
        minimum == Role::admin ? key->role == Role::admin : key->role != Role::client;
    if (!allowed) {
        return respond_.error(format::Format::json,
                              {ErrorCode::forbidden,
                               "this key has the " + std::string(to_string(key->role)) + " role; " +
                                   wanted + " is required"});
    }
    key_name = key->name;
    return std::nullopt;
}

// Open311 Service Discovery.
HttpResponse Handlers::discovery(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    std::string base = config_.public_url;
    if (base.empty()) {
        base = std::string(listen_scheme(config_)) + "://" + config_.listen_host + ":" +
               std::to_string(config_.listen_port) + config_.base_path;
    }
    // The API surface changes only when the server (re)starts, so the start time is its changeset.
    return respond_.document(format::discovery_tree(config_, base, started_at_), ctx.format);
}

HttpResponse Handlers::health(const RequestContext&) const {
    store_.count_services();  // proves the database answers
    return respond_.json({{"status", "ok"}});
}

}  // namespace open311::api
