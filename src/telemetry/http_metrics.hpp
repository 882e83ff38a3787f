#pragma once

#include "telemetry/counters.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace open311::telemetry {

class Exposition;

/// The HTTP metrics of one server: requests by route pattern, method and status, their
/// duration by route, requests in flight, connections open and refused. Every counter is
/// allocated up front by route index, so recording an answer is an array index and a few
/// relaxed atomic adds: no lookup, no lock. The counters are spread over a few shards (a
/// thread keeps to one), so that I/O threads answering the same route do not fight over one
/// cache line.
class HttpMetrics final {
public:
    /// Method names, in the order of api::Method (the caller passes that index).
    static constexpr std::array<const char*, 8> kMethods{
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"};
    /// Labels of answers that match no route (the access log's names for them).
    static constexpr std::array<std::string_view, 7> kSpecialRoutes{"(unmatched)",
                                                                    "(method not allowed)",
                                                                    "(rejected)",
                                                                    "(error)",
                                                                    "OPTIONS",
                                                                    "/staff/",
                                                                    "(other)"};

    HttpMetrics();
    ~HttpMetrics();
    HttpMetrics(const HttpMetrics&) = delete;
    HttpMetrics& operator=(const HttpMetrics&) = delete;

    /// Names the routes (their patterns; the same pattern may come more than once, for
    /// several methods) and allocates their counters. Call it once, before any answer is
    /// recorded. Returns, for each pattern given, the route id to pass to record().
    std::vector<int> set_routes(const std::vector<std::string>& patterns);

    /// Counts one answer: `route_id` from set_routes, or -1 to go by `route` (one of
    /// kSpecialRoutes, anything else counts as "(other)": a raw path never becomes a label).
    void record(int route_id,
                std::string_view route,
                std::size_t method,
                int status,
                std::uint64_t duration_us);

    Gauge in_flight;              ///< requests read and not yet answered
    Gauge connections_open;       ///< connections being served now
    Counter connections_refused;  ///< connections over server.max_connections

    /// Writes http_requests_total, http_request_duration_seconds and the gauges.
    void write(Exposition& out) const;

private:
    static constexpr std::array<int, 33> kStatuses{
        200, 201, 202, 204, 206, 301, 302, 303, 304, 307, 308, 400, 401, 403, 404, 405, 406,
        409, 410, 411, 412, 413, 414, 415, 416, 422, 429, 431, 500, 501, 502, 503, 504};
    static constexpr std::size_t kStatusSlots = kStatuses.size() + 1;  // + any other
    static constexpr std::size_t kShards = 4;
    struct Block {
        std::array<Counter, kMethods.size() * kStatusSlots> requests;
        LatencyHistogram duration;
    };
    static std::size_t status_slot(int status);
    std::size_t shard() const;

    std::vector<std::string> labels_;  ///< by route id; the special ones first
    std::unique_ptr<Block[]> blocks_;  ///< [shard][route id]
};

}  // namespace open311::telemetry
