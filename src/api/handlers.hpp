#pragma once

#include "api/abuse_control.hpp"
#include "api/context.hpp"

#include "open311/store/store.hpp"

#include <optional>

namespace open311::api {

/// The endpoint handlers. Each is a const member taking the request context; the class holds
/// only references to what is shared (configuration and store), built once per server.
class Handlers final {
public:
    Handlers(const Config& config, Store& store, AbuseControl& abuse)
        : config_(config), store_(store), abuse_(abuse), respond_(config) {}

    // Public Open311 API (base path, .xml/.json).
    HttpResponse discovery(const RequestContext& ctx) const;
    HttpResponse service_list(const RequestContext& ctx) const;
    HttpResponse service_definition(const RequestContext& ctx) const;
    HttpResponse create_request(const RequestContext& ctx) const;
    HttpResponse search_requests(const RequestContext& ctx) const;
    HttpResponse get_request(const RequestContext& ctx) const;
    HttpResponse get_token(const RequestContext& ctx) const;

    // Staff API (/admin/v1, JSON).
    HttpResponse admin_list_requests(const RequestContext& ctx) const;
    HttpResponse admin_get_request(const RequestContext& ctx) const;
    HttpResponse admin_publish(const RequestContext& ctx) const;
    HttpResponse admin_reject(const RequestContext& ctx) const;
    HttpResponse admin_unpublish(const RequestContext& ctx) const;

    HttpResponse admin_key_usage(const RequestContext& ctx) const;

    HttpResponse health(const RequestContext& ctx) const;

    const Responder& responder() const { return respond_; }

private:
    /// 400/404 when the jurisdiction_id in `params` does not fit the configuration.
    std::optional<ApiError> check_jurisdiction(const Params& params) const;
    /// The service name in the requested locale, for request lists.
    std::string locale_of(const Params& params) const;
    /// The staff key behind the Authorization header, or the error response to send.
    std::optional<HttpResponse> require_staff(const RequestContext& ctx,
                                              std::string& key_name) const;
    /// Like require_staff, with the lowest role that may pass.
    std::optional<HttpResponse> require_role(const RequestContext& ctx,
                                             Role minimum,
                                             std::string& key_name) const;
    HttpResponse moderate(const RequestContext& ctx, ModerationState target) const;
    /// POST /requests once the caller's address has a token; sets `key_name` once the API key
    /// is known, for the usage counters.
    HttpResponse create_request_limited(const RequestContext& ctx, std::string& key_name) const;
    /// 429 with Retry-After, in the requested format.
    HttpResponse too_many(const RequestContext& ctx, int retry_after, std::string what) const;

    const Config& config_;
    Store& store_;
    AbuseControl& abuse_;
    Responder respond_;
    Timestamp started_at_ = now();
};

}  // namespace open311::api
