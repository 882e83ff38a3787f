// PostgresStore: counts for monitoring, each from an index on the state column.
#include "store/postgres/postgres_store.hpp"

namespace open311::store::pg {
namespace {

constexpr std::string_view kQueueStatsSql = R"sql(
    SELECT
        (SELECT count(*) FROM requests WHERE state = 'pending'),
        (SELECT min(requested_at) FROM requests WHERE state = 'pending'),
        (SELECT count(*) FROM outbox WHERE state = 'pending'),
        (SELECT min(created_at) FROM outbox WHERE state = 'pending'),
        (SELECT count(*) FROM outbox WHERE state = 'failed'))sql";

QueueStats read_queue_stats(const Row& r) {
    QueueStats q;
    q.pending_requests = r.int64(0);
    q.oldest_pending = r.optional_int64(1);
    q.outbox_queued = r.int64(2);
    q.oldest_queued = r.optional_int64(3);
    q.outbox_failed = r.int64(4);
    return q;
}

}  // namespace

QueueStats PostgresStore::queue_stats() {
    return read([&](pg::Connection& c) { return c.first(kQueueStatsSql, read_queue_stats); })
        .value_or(QueueStats{});
}

}  // namespace open311::store::pg
