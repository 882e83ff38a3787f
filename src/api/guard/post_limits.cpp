#include "api/guard/post_limits.hpp"

#include "telemetry/process_metrics.hpp"
#include "util/ip_range.hpp"

namespace open311::api {

std::optional<HttpResponse> PostLimits::take(const RequestContext& ctx,
                                             const std::string& bucket,
                                             int per_minute,
                                             int burst,
                                             const std::string& refusal) const {
    int retry_after = 0;
    if (abuse_.limiter.take(bucket, per_minute, burst, RateLimiter::Clock::now(), retry_after)) {
        return std::nullopt;
    }
    auto r = respond_.error(ctx.format,
                            {ErrorCode::too_many_requests,
                             refusal + "; retry in " + std::to_string(retry_after) + " s"});
    r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return r;
}

std::optional<HttpResponse> PostLimits::by_address(const RequestContext& ctx) const {
    const auto client =
        client_ip(ctx.http.client_address, ctx.http.forwarded_for, abuse_.trusted_proxies);
    auto refused = take(ctx,
                        "ip:" + client,
                        config_.ip_posts_per_minute,
                        config_.ip_burst,
                        "too many requests from this address");
    if (refused) {
        telemetry::process_metrics().posts_limited_address.add();
    }
    return refused;
}

std::optional<HttpResponse> PostLimits::by_key(const RequestContext& ctx, const ApiKey& key) const {
    const auto limits = store_.find_key_limits(key.name).value_or(KeyLimits{});
    auto refused = take(ctx,
                        "key:" + key.name,
                        limits.posts_per_minute.value_or(config_.key_posts_per_minute),
                        limits.burst.value_or(config_.key_burst),
                        "api_key: too many requests with this key");
    if (refused) {
        telemetry::process_metrics().posts_limited_key.add();
    }
    return refused;
}

}  // namespace open311::api
