// Uploaded media: GET /media/{name} serves a file once its request is published (Helsinki:
// nothing is public before the publish step).
#include "api/core/media_reply.hpp"
#include "api/georeport/handlers.hpp"

namespace open311::api {

HttpResponse GeoReportHandlers::get_media(const RequestContext& ctx) const {
    const auto& name = ctx.path.at("name");
    // Only names the server itself makes are looked up: no path, dot segment or escape
    // from a client ever reaches the storage.
    if (!media::is_valid_media_name(name)) {
        return s_.respond.error(ctx.format, {ErrorCode::not_found, "no such media"});
    }
    auto entry = s_.store.find_media(name);
    // Media of a pending or rejected request is not public until the request is published.
    if (!entry || entry->state != ModerationState::published) {
        return s_.respond.error(ctx.format, {ErrorCode::not_found, "no media '" + name + "'"});
    }
    return send_media(ctx,
                      s_.respond,
                      *s_.media,
                      entry->file,
                      "public, max-age=" + std::to_string(s_.config.media_max_age_seconds));
}

}  // namespace open311::api
