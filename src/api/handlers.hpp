#pragma once

#include "api/guard/abuse_control.hpp"
#include "api/core/context.hpp"
#include "api/core/list_cache.hpp"
#include "api/core/response_cache.hpp"
#include "mail/templates.hpp"
#include "media/storage.hpp"

#include "open311/store/store.hpp"

#include <optional>

namespace open311::api {

/// The endpoint handlers. Each is a const member taking the request context; the class holds
/// only references to what is shared (configuration and store), built once per server.
class Handlers final {
public:
    Handlers(const Config& config, Store& store, AbuseControl& abuse)
        : config_(config),
          store_(store),
          abuse_(abuse),
          respond_(config),
          templates_(mail::Templates::load(config.mail_templates_dir)),
          media_(media::make_storage(config)) {}

    // Public Open311 API (base path, .xml/.json).
    HttpResponse discovery(const RequestContext& ctx) const;
    HttpResponse service_list(const RequestContext& ctx) const;
    HttpResponse service_definition(const RequestContext& ctx) const;
    HttpResponse create_request(const RequestContext& ctx) const;
    HttpResponse search_requests(const RequestContext& ctx) const;
    HttpResponse get_request(const RequestContext& ctx) const;
    HttpResponse get_token(const RequestContext& ctx) const;
    HttpResponse update_list(const RequestContext& ctx) const;
    HttpResponse create_update(const RequestContext& ctx) const;
    HttpResponse get_update_token(const RequestContext& ctx) const;

    // Staff API (/admin/v1, JSON).
    HttpResponse admin_list_requests(const RequestContext& ctx) const;
    HttpResponse admin_get_request(const RequestContext& ctx) const;
    HttpResponse admin_publish(const RequestContext& ctx) const;
    HttpResponse admin_reject(const RequestContext& ctx) const;
    HttpResponse admin_unpublish(const RequestContext& ctx) const;
    HttpResponse admin_edit_request(const RequestContext& ctx) const;
    HttpResponse admin_list_updates(const RequestContext& ctx) const;
    HttpResponse admin_publish_update(const RequestContext& ctx) const;
    HttpResponse admin_reject_update(const RequestContext& ctx) const;

    // Staff API: catalogue, keys, audit trail (admin_services.cpp, admin_keys.cpp,
    // admin_audit.cpp).
    HttpResponse admin_list_services(const RequestContext& ctx) const;
    HttpResponse admin_get_service(const RequestContext& ctx) const;
    HttpResponse admin_create_service(const RequestContext& ctx) const;
    HttpResponse admin_edit_service(const RequestContext& ctx) const;
    HttpResponse admin_deactivate_service(const RequestContext& ctx) const;
    HttpResponse admin_list_keys(const RequestContext& ctx) const;
    HttpResponse admin_create_key(const RequestContext& ctx) const;
    HttpResponse admin_revoke_key(const RequestContext& ctx) const;
    HttpResponse admin_audit(const RequestContext& ctx) const;
    HttpResponse admin_key_usage(const RequestContext& ctx) const;

    HttpResponse health(const RequestContext& ctx) const;

    // Uploaded media: public once the request is published; staff always.
    HttpResponse get_media(const RequestContext& ctx) const;
    HttpResponse admin_get_media(const RequestContext& ctx) const;
    HttpResponse admin_delete_media(const RequestContext& ctx) const;

    const Responder& responder() const { return respond_; }

private:
    /// 400/404 when the jurisdiction_id in `params` does not fit the configuration.
    std::optional<ApiError> check_jurisdiction(const Params& params) const;
    /// The service name in the requested locale, for request lists.
    std::string locale_of(const Params& params) const;
    /// The staff key behind the Authorization header, or the error response to send.
    std::optional<HttpResponse> require_staff(const RequestContext& ctx,
                                              std::string& key_name) const;
    /// The admin key behind the Authorization header, or the error response to send.
    std::optional<HttpResponse> require_admin(const RequestContext& ctx,
                                              std::string& key_name) const;
    /// Shared by require_staff and require_admin.
    std::optional<HttpResponse> require_role(const RequestContext& ctx,
                                             Role least,
                                             std::string& key_name) const;
    /// Writes `service` (a new one when `before` is empty) with its audit line.
    HttpResponse save_service(const Service& service,
                              const std::optional<Service>& before,
                              const char* action,
                              const std::string& who) const;
    HttpResponse moderate(const RequestContext& ctx, ModerationState target) const;
    /// GET requests without the list cache.
    HttpResponse render_request_list(const RequestContext& ctx) const;
    /// Puts the public URLs of the uploaded files before the media_url references, as the
    /// answers show them (Helsinki: extended_attributes.media_urls, the first as media_url).
    void add_media_urls(ServiceRequest& request) const;
    /// The public URL of an uploaded file.
    std::string media_url(const std::string& name) const;
    /// Answers with a stored file: conditional and range requests, caching headers.
    HttpResponse send_media(const RequestContext& ctx,
                            const MediaFile& file,
                            const std::string& cache_control) const;
    /// POST /requests once the caller's address has a token; sets `key_name` once the API key
    /// is known, for the usage counters.
    HttpResponse create_request_limited(const RequestContext& ctx, std::string& key_name) const;
    /// 429 with Retry-After, in the requested format.
    HttpResponse too_many(const RequestContext& ctx, int retry_after, std::string what) const;
    /// Takes a POST token from `bucket`; the 429 ("`refusal`; retry in N s") when none is left.
    std::optional<HttpResponse> take_post_token(const RequestContext& ctx,
                                                const std::string& bucket,
                                                int per_minute,
                                                int burst,
                                                const std::string& refusal) const;
    /// The 429 to send when the client address has no POST token left.
    std::optional<HttpResponse> limit_address(const RequestContext& ctx) const;
    /// The 429 to send when the API key has no POST token left.
    std::optional<HttpResponse> limit_key(const RequestContext& ctx, const ApiKey& key) const;
    HttpResponse moderate_update(const RequestContext& ctx, ModerationState target) const;
    /// The staff view of one request: every field, its updates, audit trail and notifications.
    HttpResponse staff_record(const ServiceRequest& request, int status = 200) const;
    HttpResponse stale_response(const std::string& id,
                                std::int64_t expected,
                                std::int64_t actual) const;
    /// The update a staff change of status, detailed status or notes publishes.
    RequestUpdate staff_update_for(const ServiceRequest& after,
                                   const std::optional<std::string>& notes,
                                   const std::string& who,
                                   Timestamp at) const;
    /// The "processed" e-mail to the submitter, when an address was given.
    std::optional<Notification> processed_notification(const ServiceRequest& request,
                                                       Timestamp at) const;

    const Config& config_;
    Store& store_;
    AbuseControl& abuse_;
    Responder respond_;
    mail::Templates templates_;
    std::shared_ptr<media::MediaStorage> media_;
    Timestamp started_at_ = now();
    /// The service list and definitions, rendered (mutable: a cache, not state).
    mutable ResponseCache catalogue_cache_;
    /// Public list answers, while nothing was written (mutable: a cache, not state).
    mutable ListCache list_cache_;
};

}  // namespace open311::api
