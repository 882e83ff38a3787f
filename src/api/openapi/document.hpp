#pragma once

#include "open311/config.hpp"

#include <string>

namespace open311::api {

/// The optional parts of the API a server answers, beside those every server has.
struct OpenApiParts {
    bool initiatives = false;  ///< the municipal initiatives API (initiatives.enabled)
    bool metrics = false;      ///< GET /metrics on this listener
};

/// The OpenAPI 3.1 description of a server with this configuration: the static document
/// compiled in (src/api/openapi/document/*.json) with the servers, base paths, jurisdictions,
/// profile settings and enabled parts of `config` filled in. Compact JSON.
std::string render_openapi(const Config& config, const OpenApiParts& parts);

}  // namespace open311::api
