#pragma once

#include "open311/domain/request.hpp"

#include <cstdint>
#include <optional>

namespace open311 {

/// What the moderation queue and the outbox hold now, for monitoring (GET /metrics).
struct QueueStats {
    std::int64_t pending_requests = 0;        ///< requests waiting for moderation
    std::optional<Timestamp> oldest_pending;  ///< requested_at of the oldest of them
    std::int64_t outbox_queued = 0;           ///< messages not yet sent (state pending)
    std::optional<Timestamp> oldest_queued;   ///< created_at of the oldest of them
    std::int64_t outbox_failed = 0;           ///< messages given up on (state failed)
};

/// Counts for monitoring. Each answer is a few index lookups: the work grows with the pending
/// and failed rows only (few when all is well), never with the sent mail or the published
/// requests.
class StatsStore {
public:
    virtual ~StatsStore() = default;

    virtual QueueStats queue_stats() = 0;
};

}  // namespace open311
