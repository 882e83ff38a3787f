#pragma once

#include "api/core/router.hpp"

namespace open311::api {

class GeoReportHandlers;
class StaffHandlers;
class ReferenceHandlers;

/// The public routes, relative to the base path.
void add_public_routes(Router& router, const GeoReportHandlers& handlers);
/// Uploaded media, served from the root ("/media/{name}"), beside the API's base path.
void add_media_routes(Router& router, const GeoReportHandlers& handlers);
/// The staff routes (absolute paths) and /healthz.
void add_admin_routes(Router& router, const StaffHandlers& handlers);
/// GET /openapi.json and the reference page /docs/.
void add_reference_routes(Router& router, const ReferenceHandlers& handlers);

}  // namespace open311::api
