#pragma once

#include "open311/domain/time.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace open311 {

/// A key's own POST rate limit; an unset field takes the configured default.
struct KeyLimits {
    std::optional<int> posts_per_minute;
    std::optional<int> burst;
};

/// What one key did on one day (UTC), as the city reads it for its statistics.
struct KeyUsage {
    std::string day;  ///< YYYY-MM-DD
    std::int64_t created = 0;
    std::int64_t rejected = 0;
    std::int64_t rate_limited = 0;
};

/// A client's retry key on POST /requests, scoped to its API key. The first request reserves
/// the id of the service request it creates, so a retry can never create a second one.
struct IdempotencyRecord {
    std::string api_key_name;
    std::string key;
    std::string fingerprint;  ///< hash of the format and the fields of the first request
    std::string request_id;
    Timestamp created_at = 0;
    int status = 0;  ///< 0 while the first request is being handled
    std::string content_type;
    std::string body;
};

/// The result of claiming an idempotency key: the record in force, and whether this caller
/// created it (and so handles the request).
struct IdempotencyClaim {
    IdempotencyRecord record;
    bool claimed = false;
};

}  // namespace open311
