#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace open311::api {

/// Token buckets by name ("key:NAME", "ip:ADDRESS"), in memory. A bucket holds up to `burst`
/// tokens and refills at `per_minute` a minute; each POST takes one. Buckets that would be full
/// again are dropped when a shard grows large, so a flood of addresses cannot fill memory.
class RateLimiter final {
public:
    using Clock = std::chrono::steady_clock;

    /// Takes a token; when none is left, returns false and sets `retry_after` to the whole
    /// seconds until one is.
    bool take(const std::string& bucket,
              int per_minute,
              int burst,
              Clock::time_point at,
              int& retry_after);

    /// Buckets held now (for tests).
    std::size_t size() const;

    static constexpr std::size_t kMaxBucketsPerShard = 4096;

private:
    struct Bucket {
        double tokens = 0;
        Clock::time_point updated;
        double per_second = 0;
        double burst = 0;
    };
    struct Shard {
        mutable std::mutex mutex;
        std::unordered_map<std::string, Bucket> buckets;
    };
    void sweep(Shard& shard, Clock::time_point at);

    std::array<Shard, 16> shards_;
};

}  // namespace open311::api
