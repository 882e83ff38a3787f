// GET /metrics: the Prometheus text exposition (api/core/metrics_report.cpp), behind
// metrics.token when one is set.
#include "api/admin/handlers.hpp"
#include "api/guard/auth.hpp"
#include "telemetry/exposition.hpp"

#include <openssl/crypto.h>

namespace open311::api {
namespace {

/// Compares in time that depends on the lengths only, so that a wrong token's answer time
/// does not tell how much of it was right.
bool same_secret(std::string_view given, std::string_view expected) {
    return given.size() == expected.size() &&
           CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

HttpResponse StaffHandlers::metrics(const RequestContext& ctx) const {
    const auto& settings = s_.config.metrics;
    // Not served at all when off, nor on the main listener when it has a listener of its own.
    if (!settings.enabled || (settings.listen_host && !ctx.http.operations_listener)) {
        return s_.respond.error(format::Format::json,
                                {ErrorCode::not_found, "no such resource: /metrics"});
    }
    if (!settings.token.empty()) {
        const auto token = bearer_token(ctx.http.authorization);
        if (token.empty() || !same_secret(token, settings.token)) {
            auto r = s_.respond.error(
                format::Format::json,
                {ErrorCode::unauthorized, "Authorization: Bearer TOKEN required (metrics.token)"});
            r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"metrics\"");
            return r;
        }
    }
    HttpResponse r;
    r.content_type = std::string(telemetry::Exposition::kContentType);
    r.body = s_.metrics.render(s_.store);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace open311::api
