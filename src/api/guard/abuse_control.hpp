#pragma once

#include "api/guard/rate_limiter.hpp"
#include "api/guard/usage_counter.hpp"
#include "form/params.hpp"
#include "format/document.hpp"
#include "util/ip_range.hpp"

#include "open311/config.hpp"

#include <atomic>
#include <string>
#include <string_view>
#include <vector>

namespace open311::api {

/// What the API keeps to control abuse: rate-limit buckets, usage counters, the trusted
/// proxies, and when idempotency records were last purged. One per server.
struct AbuseControl {
    AbuseControl(const Config& config, Store& store);

    RateLimiter limiter;
    UsageCounter usage;
    std::vector<IpRange> trusted_proxies;
    std::atomic<Timestamp> last_purge{0};
};

/// A first request with an Idempotency-Key unanswered for this long is taken to have died.
constexpr Timestamp kIdempotencyStaleSeconds = 60;

/// True for an Idempotency-Key of 1 to 255 visible ASCII characters.
bool valid_idempotency_key(std::string_view key);

/// What makes two POSTs "the same request": the answer's format and the fields, sorted, so
/// that a client which re-encodes the same form (a new multipart boundary, another field
/// order) still matches.
std::string request_fingerprint(format::Format format, const form::Params& fields);

}  // namespace open311::api
