// The server's own description: GET /openapi.json (OpenAPI 3.1) and the reference page
// /docs/, whose script renders that document in the browser. Everything is compiled in.
#include "api/openapi/handlers.hpp"

#include "util/embedded.hpp"

#include <string_view>

namespace open311::api {

namespace {

/// The page loads its own script and style and fetches /openapi.json: nothing else may run,
/// load or frame it (no inline script, no other origin).
constexpr const char* kPagePolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
    "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

std::string content_type_of(std::string_view name) {
    if (name.ends_with(".js")) {
        return "text/javascript; charset=utf-8";
    }
    if (name.ends_with(".css")) {
        return "text/css; charset=utf-8";
    }
    return "text/html; charset=utf-8";
}

const EmbeddedFile* page_file(std::string_view name) {
    static const auto files = embedded_docs_page();
    for (const auto& f : files) {
        if (f.name == name) {
            return &f;
        }
    }
    return nullptr;
}

HttpResponse page_response(const EmbeddedFile& file) {
    HttpResponse r;
    r.content_type = content_type_of(file.name);
    r.body = std::string(file.content);
    r.headers.emplace_back("Content-Security-Policy", kPagePolicy);
    // Unversioned names: revalidate (the ETag makes that a 304) so an upgrade shows at once.
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
}

}  // namespace

ReferenceHandlers::ReferenceHandlers(const Config& config,
                                     const Responder& respond,
                                     std::function<OpenApiParts()> parts)
    : config_(config), respond_(respond), parts_(std::move(parts)) {}

const std::string& ReferenceHandlers::document() const {
    std::call_once(rendered_, [this] { document_ = render_openapi(config_, parts_()); });
    return document_;
}

HttpResponse ReferenceHandlers::openapi(const RequestContext&) const {
    HttpResponse r;
    r.content_type = "application/json; charset=utf-8";
    r.body = document();
    r.headers.emplace_back("Cache-Control", "no-cache");
    return r;
}

HttpResponse ReferenceHandlers::docs_page(const RequestContext& ctx) const {
    const std::string_view target = ctx.http.target;
    const auto path = target.substr(0, target.find('?'));
    if (!path.ends_with('/')) {
        // The page's assets are relative to /docs/.
        HttpResponse r;
        r.status = 308;
        r.headers.emplace_back("Location", "/docs/");
        return r;
    }
    return page_response(*page_file("index.html"));
}

HttpResponse ReferenceHandlers::docs_asset(const RequestContext& ctx) const {
    const auto it = ctx.path.find("asset");
    const std::string name = it == ctx.path.end() ? "" : it->second;
    const auto* file = name == "index.html" ? nullptr : page_file(name);
    if (file == nullptr) {
        return respond_.error(format::Format::json,
                              {ErrorCode::not_found, "no such file: " + name});
    }
    return page_response(*file);
}

}  // namespace open311::api
