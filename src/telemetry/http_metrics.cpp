#include "telemetry/http_metrics.hpp"

#include "telemetry/exposition.hpp"

#include <algorithm>
#include <atomic>
#include <map>

namespace open311::telemetry {

HttpMetrics::HttpMetrics() {
    set_routes({});
}

HttpMetrics::~HttpMetrics() = default;

std::vector<int> HttpMetrics::set_routes(const std::vector<std::string>& patterns) {
    labels_.assign(kSpecialRoutes.begin(), kSpecialRoutes.end());
    std::map<std::string, int, std::less<>> ids;
    for (std::size_t i = 0; i < labels_.size(); ++i) {
        ids.emplace(labels_[i], static_cast<int>(i));
    }
    std::vector<int> out;
    out.reserve(patterns.size());
    for (const auto& pattern : patterns) {
        auto [it, added] = ids.emplace(pattern, static_cast<int>(labels_.size()));
        if (added) {
            labels_.push_back(pattern);
        }
        out.push_back(it->second);
    }
    blocks_ = std::make_unique<Block[]>(kShards * labels_.size());
    return out;
}

std::size_t HttpMetrics::status_slot(int status) {
    const auto* it = std::lower_bound(kStatuses.begin(), kStatuses.end(), status);
    return it != kStatuses.end() && *it == status ? static_cast<std::size_t>(it - kStatuses.begin())
                                                  : kStatuses.size();
}

std::size_t HttpMetrics::shard() const {
    // Threads take shards in turn, once: the I/O threads (a few) each get one of their own.
    static std::atomic<std::size_t> next{0};
    thread_local const std::size_t mine = next.fetch_add(1, std::memory_order_relaxed) % kShards;
    return mine;
}

void HttpMetrics::record(int route_id,
                         std::string_view route,
                         std::size_t method,
                         int status,
                         std::uint64_t duration_us) {
    std::size_t id = kSpecialRoutes.size() - 1;  // "(other)"
    if (route_id >= 0 && static_cast<std::size_t>(route_id) < labels_.size()) {
        id = static_cast<std::size_t>(route_id);
    } else {
        for (std::size_t i = 0; i + 1 < kSpecialRoutes.size(); ++i) {
            if (kSpecialRoutes[i] == route) {
                id = i;
                break;
            }
        }
    }
    auto& block = blocks_[shard() * labels_.size() + id];
    block.requests[std::min(method, kMethods.size() - 1) * kStatusSlots + status_slot(status)]
        .add();
    block.duration.observe(duration_us, kLatencyBoundsUs);
}

void HttpMetrics::write(Exposition& out) const {
    const std::size_t routes = labels_.size();
    out.family("http_requests_total",
               "counter",
               "HTTP answers by route pattern (never the raw path), method and status.");
    for (std::size_t r = 0; r < routes; ++r) {
        for (std::size_t m = 0; m < kMethods.size(); ++m) {
            for (std::size_t s = 0; s < kStatusSlots; ++s) {
                std::uint64_t n = 0;
                for (std::size_t shard = 0; shard < kShards; ++shard) {
                    n += blocks_[shard * routes + r].requests[m * kStatusSlots + s].value();
                }
                if (n == 0) {
                    continue;  // only what has happened: every combination would be thousands
                }
                const std::string status =
                    s < kStatuses.size() ? std::to_string(kStatuses[s]) : "other";
                out.sample("http_requests_total",
                           {{"route", labels_[r]}, {"method", kMethods[m]}, {"status", status}},
                           n);
            }
        }
    }
    out.family("http_request_duration_seconds",
               "histogram",
               "Time from a request's header to its answer being handed to the socket, by route "
               "pattern.");
    for (std::size_t r = 0; r < routes; ++r) {
        std::array<std::uint64_t, kLatencyBoundsUs.size() + 1> counts{};
        std::uint64_t sum = 0;
        std::uint64_t total = 0;
        for (std::size_t shard = 0; shard < kShards; ++shard) {
            const auto& h = blocks_[shard * routes + r].duration;
            for (std::size_t i = 0; i < counts.size(); ++i) {
                counts[i] += h.bucket(i);
                total += h.bucket(i);
            }
            sum += h.sum();
        }
        if (total == 0) {
            continue;
        }
        out.histogram("http_request_duration_seconds",
                      {{"route", labels_[r]}},
                      kLatencyBoundsUs.data(),
                      counts.data(),
                      kLatencyBoundsUs.size(),
                      sum,
                      1e6);
    }
    out.family("http_requests_in_flight", "gauge", "Requests read and not yet answered.");
    out.sample("http_requests_in_flight", {}, in_flight.value());
    out.family("http_connections_open", "gauge", "Client connections open now.");
    out.sample("http_connections_open", {}, connections_open.value());
    out.family("http_connections_rejected_total",
               "counter",
               "Connections refused because server.max_connections were open.");
    out.sample("http_connections_rejected_total", {}, connections_refused.value());
}

}  // namespace open311::telemetry
