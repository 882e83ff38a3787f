#pragma once

// The three kinds of metric the server keeps, as plain atomics: updated with relaxed order on
// the hot path (a counter needs no ordering with anything else; a scrape reads each value on
// its own), never behind a lock.
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace open311::telemetry {

/// A value that only goes up.
class Counter {
public:
    void add(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::uint64_t> value_{0};
};

/// A value that goes up and down (connections open, requests in flight).
class Gauge {
public:
    void add(std::int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
    void sub(std::int64_t n = 1) { value_.fetch_sub(n, std::memory_order_relaxed); }
    std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

private:
    std::atomic<std::int64_t> value_{0};
};

/// Observations counted into fixed buckets (upper bounds in `Bounds`, as integers of the
/// observed unit: microseconds for durations, items for sizes). Each bucket counts only its
/// own observations; the exposition adds them up into Prometheus' cumulative buckets.
template <std::size_t N>
class Histogram {
public:
    using Bounds = std::array<std::uint64_t, N>;

    /// Adds one observation; `bounds` must be the ones the histogram is rendered with.
    void observe(std::uint64_t value, const Bounds& bounds) {
        std::size_t i = 0;
        while (i < N && value > bounds[i]) {
            ++i;
        }
        buckets_[i].fetch_add(1, std::memory_order_relaxed);
        sum_.fetch_add(value, std::memory_order_relaxed);
    }
    /// Observations in bucket `i` alone (i == N: above the last bound).
    std::uint64_t bucket(std::size_t i) const {
        return buckets_[i].load(std::memory_order_relaxed);
    }
    std::uint64_t sum() const { return sum_.load(std::memory_order_relaxed); }

private:
    std::array<std::atomic<std::uint64_t>, N + 1> buckets_{};
    std::atomic<std::uint64_t> sum_{0};
};

/// Latency buckets in microseconds: 0.5 ms to 10 s.
inline constexpr std::array<std::uint64_t, 14> kLatencyBoundsUs{500,
                                                                1000,
                                                                2500,
                                                                5000,
                                                                10000,
                                                                25000,
                                                                50000,
                                                                100000,
                                                                250000,
                                                                500000,
                                                                1000000,
                                                                2500000,
                                                                5000000,
                                                                10000000};
using LatencyHistogram = Histogram<kLatencyBoundsUs.size()>;

/// Microseconds since `start`.
inline std::uint64_t micros_since(std::chrono::steady_clock::time_point start) {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::microseconds>(
                                          std::chrono::steady_clock::now() - start)
                                          .count());
}

}  // namespace open311::telemetry
