// Open311 Service Discovery.
#include "api/georeport/handlers.hpp"
#include "format/trees.hpp"
#include "validate/public_query.hpp"

namespace open311::api {

HttpResponse GeoReportHandlers::discovery(const RequestContext& ctx) const {
    if (auto e = validate::check_jurisdiction(s_.config, ctx.query)) {
        return s_.respond.error(ctx.format, *e);
    }
    std::string base = s_.config.public_url;
    if (base.empty()) {
        base = std::string(listen_scheme(s_.config)) + "://" + s_.config.listen_host + ":" +
               std::to_string(s_.config.listen_port) + s_.config.base_path;
    }
    // The API surface changes only when the server (re)starts, so the start time is its changeset.
    return s_.respond.document(format::discovery_tree(s_.config, base, started_at_), ctx.format);
}

}  // namespace open311::api
