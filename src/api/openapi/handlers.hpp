#pragma once

#include "api/core/context.hpp"
#include "api/openapi/document.hpp"

#include <functional>
#include <mutex>
#include <string>

namespace open311::api {

/// GET /openapi.json and the reference page under /docs/ that renders it in the browser.
class ReferenceHandlers final {
public:
    /// `parts` is asked once, at the first request for the document, when every route of the
    /// server is in its table.
    ReferenceHandlers(const Config& config,
                      const Responder& respond,
                      std::function<OpenApiParts()> parts);

    HttpResponse openapi(const RequestContext& ctx) const;
    HttpResponse docs_page(const RequestContext& ctx) const;
    HttpResponse docs_asset(const RequestContext& ctx) const;

private:
    const std::string& document() const;

    const Config& config_;
    const Responder& respond_;
    std::function<OpenApiParts()> parts_;
    /// The rendered document: the configuration does not change while the server runs.
    mutable std::once_flag rendered_;
    mutable std::string document_;
};

}  // namespace open311::api
