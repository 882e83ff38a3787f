#include "api/guard/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>

namespace open311::api {

bool RateLimiter::take(
    const std::string& bucket, int per_minute, int burst, Clock::time_point at, int& retry_after) {
    retry_after = 0;
    if (per_minute <= 0) {
        return true;
    }
    auto& shard = shards_[std::hash<std::string>{}(bucket) % shards_.size()];
    std::lock_guard lock(shard.mutex);
    auto it = shard.buckets.find(bucket);
    if (it == shard.buckets.end()) {
        if (shard.buckets.size() >= kMaxBucketsPerShard) {
            sweep(shard, at);
        }
        it = shard.buckets.emplace(bucket, Bucket{static_cast<double>(burst), at, 0, 0}).first;
    }
    auto& b = it->second;
    b.per_second = per_minute / 60.0;
    b.burst = std::max(1, burst);
    const double elapsed = std::chrono::duration<double>(at - b.updated).count();
    if (elapsed > 0) {
        b.tokens = std::min(b.burst, b.tokens + elapsed * b.per_second);
        b.updated = at;
    }
    if (b.tokens >= 1.0) {
        b.tokens -= 1.0;
        return true;
    }
    retry_after = static_cast<int>(std::ceil((1.0 - b.tokens) / b.per_second));
    retry_after = std::max(1, retry_after);
    return false;
}

void RateLimiter::sweep(Shard& shard, Clock::time_point at) {
    // A bucket that has refilled completely behaves exactly like a missing one.
    std::erase_if(shard.buckets, [at](const auto& entry) {
        const auto& b = entry.second;
        const double elapsed = std::chrono::duration<double>(at - b.updated).count();
        return b.tokens + elapsed * b.per_second >= b.burst;
    });
    if (shard.buckets.size() >= kMaxBucketsPerShard) {
        // Every bucket is in use (a flood of distinct clients): forget the fullest half.
        std::vector<std::pair<double, std::string>> by_tokens;
        by_tokens.reserve(shard.buckets.size());
        for (const auto& [name, b] : shard.buckets) {
            by_tokens.emplace_back(b.tokens, name);
        }
        std::nth_element(by_tokens.begin(),
                         by_tokens.begin() + static_cast<std::ptrdiff_t>(by_tokens.size() / 2),
                         by_tokens.end(),
                         std::greater<>());
        for (std::size_t i = 0; i < by_tokens.size() / 2; ++i) {
            shard.buckets.erase(by_tokens[i].second);
        }
    }
}

std::size_t RateLimiter::size() const {
    std::size_t n = 0;
    for (const auto& shard : shards_) {
        std::lock_guard lock(shard.mutex);
        n += shard.buckets.size();
    }
    return n;
}

}  // namespace open311::api
