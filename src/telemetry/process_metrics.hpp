#pragma once

#include "telemetry/counters.hpp"

#include <array>
#include <cstddef>
#include <cstdint>

namespace open311::telemetry {

/// Write batch sizes (jobs per group commit).
inline constexpr std::array<std::uint64_t, 10> kBatchBounds{1, 2, 4, 8, 16, 32, 64, 128, 256, 512};

/// Kinds of store error, in StoreErrc order (1-based there): "conflict", "constraint", …
inline constexpr std::array<const char*, 7> kStoreErrorKinds{"conflict",
                                                             "constraint",
                                                             "unavailable",
                                                             "corrupt",
                                                             "incompatible",
                                                             "invalid_token",
                                                             "internal"};

/// What the process counts below the HTTP layer: the store, the case workflow, the outbox
/// sender, media and abuse control. One per process (`process_metrics()`), like a Prometheus
/// client's default registry: the store and the sender outlive any one server.
struct ProcessMetrics {
    // Cases.
    Counter requests_created_pending;    ///< new requests that wait for moderation
    Counter requests_created_published;  ///< new requests public at once (post-moderation)
    Counter requests_published;          ///< moderation: pending → published
    Counter requests_rejected;
    Counter requests_unpublished;
    Counter requests_closed;  ///< open → closed by a staff edit
    // Abuse control.
    Counter posts_limited_address;  ///< POSTs answered 429 by the per-address limit
    Counter posts_limited_key;      ///< … by the per-key limit
    // Outbox sender.
    Counter outbox_sent;
    Counter outbox_attempts_failed;  ///< attempts that failed (retried or not)
    Counter outbox_failed;           ///< messages given up for good
    // Media.
    Counter media_files_stored;
    Counter media_bytes_stored;
    // Store.
    std::array<Counter, kStoreErrorKinds.size()> store_errors;
    Histogram<kBatchBounds.size()> write_batch_size;
    LatencyHistogram write_commit_us;  ///< one group commit, from BEGIN to COMMIT

    /// Counts a store error of StoreErrc value `code` (1-based; others are "internal").
    void store_error(int code) {
        const auto i = code >= 1 && code <= static_cast<int>(kStoreErrorKinds.size())
                           ? static_cast<std::size_t>(code - 1)
                           : kStoreErrorKinds.size() - 1;
        store_errors[i].add();
    }
};

ProcessMetrics& process_metrics();

/// The process's start, in seconds since the epoch (process_start_time_seconds).
double process_start_time();

}  // namespace open311::telemetry
