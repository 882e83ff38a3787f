#pragma once

#include "api/core/http_types.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace open311::api {

/// Rendered public list answers (GET requests), for map apps and integrations that poll the
/// same lists: an answer is served again while the store has committed nothing since it was
/// rendered, for at most a second. Any write of this server drops it at once; a write by
/// another process on the same database (the CLI) shows within the second, as do the
/// default date windows that move with the clock. Bounded: 256 answers of up to 4 MB. Only a
/// list asked for the second time is kept: one-off queries (a radius around each user's own
/// position) would only churn the cache.
class ListCache final {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr std::chrono::milliseconds kLifetime{1000};
    static constexpr std::size_t kMaxEntries = 256;
    static constexpr std::size_t kMaxBodyBytes = 4 * 1024 * 1024;

    /// The answer kept under `key` when it was rendered at `generation` within the lifetime.
    std::optional<HttpResponse> find(const std::string& key,
                                     std::uint64_t generation,
                                     Clock::time_point now) const {
        std::lock_guard lock(mutex_);
        auto it = entries_.find(key);
        if (it == entries_.end() || it->second.generation != generation ||
            now - it->second.rendered > kLifetime) {
            return std::nullopt;
        }
        return it->second.response;
    }

    /// Keeps a 200 answer rendered from the store at `generation` (read before the query, so
    /// that a write committed during it makes the entry stale).
    void keep(const std::string& key,
              std::uint64_t generation,
              Clock::time_point rendered,
              const HttpResponse& response) {
        if (response.status != 200 || response.body.size() > kMaxBodyBytes) {
            return;
        }
        std::lock_guard lock(mutex_);
        if (!seen_before(key)) {
            return;
        }
        if (entries_.size() >= kMaxEntries && entries_.find(key) == entries_.end()) {
            std::erase_if(entries_, [&](const auto& entry) {
                return entry.second.generation != generation ||
                       rendered - entry.second.rendered > kLifetime;
            });
            if (entries_.size() >= kMaxEntries) {
                entries_.clear();  // all current: many distinct queries in one second
            }
        }
        entries_.insert_or_assign(key, Entry{response, generation, rendered});
    }

private:
    /// True when `key` was offered recently (a ring of the last kSeenKeys keys' hashes);
    /// records it either way.
    bool seen_before(const std::string& key) {
        const std::size_t hash = std::hash<std::string>{}(key);
        const bool seen = std::find(seen_.begin(), seen_.end(), hash) != seen_.end();
        if (!seen) {
            seen_[next_seen_++ % seen_.size()] = hash;
        }
        return seen;
    }

    static constexpr std::size_t kSeenKeys = 512;
    struct Entry {
        HttpResponse response;
        std::uint64_t generation;
        Clock::time_point rendered;
    };
    mutable std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::array<std::size_t, kSeenKeys> seen_{};
    std::size_t next_seen_ = 0;
};

}  // namespace open311::api
