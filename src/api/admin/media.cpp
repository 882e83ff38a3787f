// Staff API: uploaded media. Staff fetch a file at any time (the public only once its request
// is published) and remove one for privacy.
#include "api/admin/handlers.hpp"
#include "api/core/media_reply.hpp"

namespace open311::api {

HttpResponse StaffHandlers::get_media(const RequestContext& ctx) const {
    const auto& name = ctx.path.at("name");
    if (!media::is_valid_media_name(name)) {
        return s_.respond.error(ctx.format, {ErrorCode::not_found, "no such media"});
    }
    auto entry = s_.store.find_media(name);
    if (!entry) {
        return s_.respond.error(ctx.format, {ErrorCode::not_found, "no media '" + name + "'"});
    }
    return send_media(ctx, s_.respond, *s_.media, entry->file, "private, no-store");
}

HttpResponse StaffHandlers::delete_media(const RequestContext& ctx) const {
    auto outcome = s_.cases.remove_media(ctx.path.at("id"), ctx.path.at("name"), ctx.actor);
    if (!outcome.ok()) {
        return s_.respond.errors(ctx.format, outcome.errors);
    }
    HttpResponse r;
    r.status = 204;
    return r;
}

}  // namespace open311::api
