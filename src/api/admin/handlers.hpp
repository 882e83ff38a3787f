#pragma once

#include "api/core/shared.hpp"

namespace open311::api {

/// The staff API under /admin/v1 (JSON): the moderation queue and case handling, client
/// updates, the catalogue, keys, the audit trail and usage, staff media; and /healthz. The
/// route table gives each route the role it needs and checks it before the handler runs
/// (`ctx.actor` is then the key's name). Handlers read the request, call the workflow, and
/// write the answer; the rules themselves are in src/workflow/.
class StaffHandlers final {
public:
    explicit StaffHandlers(Shared& shared) : s_(shared) {}

    // Requests (admin/requests.cpp).
    HttpResponse list_requests(const RequestContext& ctx) const;
    HttpResponse get_request(const RequestContext& ctx) const;
    HttpResponse publish(const RequestContext& ctx) const;
    HttpResponse reject(const RequestContext& ctx) const;
    HttpResponse unpublish(const RequestContext& ctx) const;
    HttpResponse edit_request(const RequestContext& ctx) const;

    // Client updates awaiting moderation (admin/updates.cpp).
    HttpResponse list_updates(const RequestContext& ctx) const;
    HttpResponse publish_update(const RequestContext& ctx) const;
    HttpResponse reject_update(const RequestContext& ctx) const;

    // Media (admin/media.cpp).
    HttpResponse get_media(const RequestContext& ctx) const;
    HttpResponse delete_media(const RequestContext& ctx) const;

    // Catalogue, keys, audit trail, usage (admin role except the trail).
    HttpResponse list_services(const RequestContext& ctx) const;
    HttpResponse get_service(const RequestContext& ctx) const;
    HttpResponse create_service(const RequestContext& ctx) const;
    HttpResponse edit_service(const RequestContext& ctx) const;
    HttpResponse deactivate_service(const RequestContext& ctx) const;
    HttpResponse list_keys(const RequestContext& ctx) const;
    HttpResponse create_key(const RequestContext& ctx) const;
    HttpResponse revoke_key(const RequestContext& ctx) const;
    HttpResponse audit(const RequestContext& ctx) const;
    HttpResponse key_usage(const RequestContext& ctx) const;

    HttpResponse health(const RequestContext& ctx) const;
    HttpResponse ready(const RequestContext& ctx) const;
    /// GET /metrics (admin/metrics.cpp).
    HttpResponse metrics(const RequestContext& ctx) const;

private:
    /// Reads the optional body {"reason": "..."} of a reject or a media removal into `reason`
    /// (trimmed); the problem, naming its field, when the body is not that.
    static std::optional<ApiError> reason_of(const std::string& body, std::string& reason);
    /// The staff view of one request: every field, its updates, audit trail and notifications.
    HttpResponse staff_record(const ServiceRequest& request) const;
    /// A request action's outcome: the staff record, or its errors (with the stored version
    /// as ETag when the client's version was stale).
    HttpResponse case_answer(const workflow::Outcome<ServiceRequest>& outcome) const;
    /// Writes `service` (a new one when `before` is empty) through the catalogue workflow.
    HttpResponse save_service(const Service& service,
                              const std::optional<Service>& before,
                              const char* action,
                              const std::string& actor) const;

    Shared& s_;
};

}  // namespace open311::api
