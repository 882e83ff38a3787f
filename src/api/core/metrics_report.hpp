#pragma once

#include "telemetry/http_metrics.hpp"

#include "open311/store/store.hpp"

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace open311::api {

/// Everything GET /metrics shows: this server's HTTP metrics, the process's counters (cases,
/// outbox, media, store, write queue), the moderation queue and outbox read from the store at
/// scrape time, and the process's start and build.
class MetricsReport final {
public:
    /// The HTTP metrics the transport records every answer into.
    telemetry::HttpMetrics http;

    /// The exposition text. The store's counts are read again only when its change feed has
    /// moved (or cannot tell), or after a few seconds (a write by another process), so that
    /// frequent scrapes of an idle server cost no query.
    std::string render(Store& store);

private:
    std::optional<QueueStats> queue_stats(Store& store);

    std::mutex mutex_;  // the cached store counts; scrapes only, never the request path
    std::chrono::steady_clock::time_point read_at_{};
    std::optional<std::uint64_t> version_;  ///< the store's change version at that read
    std::optional<QueueStats> stats_;
};

}  // namespace open311::api
