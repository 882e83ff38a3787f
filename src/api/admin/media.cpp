// Staff API: uploaded media. Staff fetch a file at any time (the public only once its request
// is published) and remove one for privacy.
#include "api/admin/handlers.hpp"
#include "api/core/media_reply.hpp"

namespace open311::api {

HttpResponse StaffHandlers::get_media(const RequestContext& ctx) const {
    return serve_media(ctx, s_.store, s_.respond, *s_.media, false, "private, no-store");
}

HttpResponse StaffHandlers::delete_media(const RequestContext& ctx) const {
    // The reason (optional here, required in the console's form) goes to the audit line.
    std::string reason;
    if (auto problem = reason_of(ctx.http.body, reason)) {
        return s_.respond.error(format::Format::json, *problem);
    }
    auto outcome = s_.cases.remove_media(ctx.path.at("id"), ctx.path.at("name"), ctx.actor, reason);
    if (!outcome.ok()) {
        return s_.respond.errors(ctx.format, outcome.errors);
    }
    HttpResponse r;
    r.status = 204;
    return r;
}

}  // namespace open311::api
