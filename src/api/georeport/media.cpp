// Uploaded media: GET /media/{name} serves a file once its request is published (Helsinki:
// nothing is public before the publish step).
#include "api/core/media_reply.hpp"
#include "api/georeport/handlers.hpp"

namespace open311::api {

HttpResponse GeoReportHandlers::get_media(const RequestContext& ctx) const {
    return serve_media(ctx,
                       s_.store,
                       s_.respond,
                       *s_.media,
                       true,
                       "public, max-age=" + std::to_string(s_.config.media_max_age_seconds));
}

}  // namespace open311::api
