// SqliteStore: counts for monitoring, each from an index on the state column.
#include "store/sqlite/sqlite_store.hpp"

namespace open311::store {
namespace {

constexpr std::string_view kQueueStatsSql = R"sql(
    SELECT
        (SELECT count(*) FROM requests WHERE state = 'pending'),
        (SELECT min(requested_at) FROM requests WHERE state = 'pending'),
        (SELECT count(*) FROM outbox WHERE state = 'pending'),
        (SELECT min(created_at) FROM outbox WHERE state = 'pending'),
        (SELECT count(*) FROM outbox WHERE state = 'failed'))sql";

QueueStats read_queue_stats(Statement& s) {
    QueueStats q;
    q.pending_requests = s.int64(0);
    q.oldest_pending = s.optional_int64(1);
    q.outbox_queued = s.int64(2);
    q.oldest_queued = s.optional_int64(3);
    q.outbox_failed = s.int64(4);
    return q;
}

}  // namespace

QueueStats SqliteStore::queue_stats() {
    return reader()->first(kQueueStatsSql, read_queue_stats).value_or(QueueStats{});
}

}  // namespace open311::store
