// PostgresStore: the outbox, claimed by senders on several servers. A claim takes due messages
// with FOR UPDATE SKIP LOCKED (concurrent senders take different ones) and counts an attempt; a
// lease token names one claim, the message's seq and its attempt count after the claim, which
// every later claim moves, so the outcome of a claim whose lease was taken over is refused.
#include "store/postgres/postgres_audit.hpp"
#include "store/postgres/postgres_store.hpp"

#include <charconv>

namespace open311::store::pg {
namespace {

constexpr std::string_view kNotificationColumns = R"sql(
    o.seq, r.id, o.kind, o.recipient, o.subject, o.body, o.state, o.attempts, o.created_at,
    o.next_attempt_at, o.sent_at, o.last_error)sql";
// Senders poll: a poll that finds nothing due must not write (and so not notify every server).
constexpr std::string_view kAnyDueSql = R"sql(
    SELECT 1
    FROM outbox
    WHERE state = 'pending' AND next_attempt_at <= $1
        AND (lease_until IS NULL OR lease_until <= $1)
    LIMIT 1)sql";
constexpr std::string_view kClaimSql = R"sql(
    WITH claimed AS (
        UPDATE outbox
        SET lease_until = $3, attempts = attempts + 1
        WHERE seq IN (
            SELECT seq
            FROM outbox
            WHERE state = 'pending' AND next_attempt_at <= $1
                AND (lease_until IS NULL OR lease_until <= $1)
            ORDER BY next_attempt_at, seq
            LIMIT $2
            FOR UPDATE SKIP LOCKED)
        RETURNING *)
    SELECT o.seq, r.id, o.kind, o.recipient, o.subject, o.body, o.state, o.attempts,
        o.created_at, o.next_attempt_at, o.sent_at, o.last_error
    FROM claimed o
    LEFT JOIN requests r ON r.seq = o.request_seq
    ORDER BY o.next_attempt_at, o.seq)sql";
// The lease is held while the attempt count is the claim's and no outcome is recorded.
constexpr std::string_view kSentSql = R"sql(
    UPDATE outbox
    SET state = 'sent', sent_at = $1, lease_until = NULL, last_error = ''
    WHERE seq = $2 AND attempts = $3 AND state = 'pending' AND lease_until IS NOT NULL)sql";
constexpr std::string_view kRetrySql = R"sql(
    UPDATE outbox
    SET next_attempt_at = $1, lease_until = NULL, last_error = $2
    WHERE seq = $3 AND attempts = $4 AND state = 'pending' AND lease_until IS NOT NULL)sql";
constexpr std::string_view kFailedSql = R"sql(
    UPDATE outbox
    SET state = 'failed', lease_until = NULL, last_error = $1
    WHERE seq = $2 AND attempts = $3 AND state = 'pending' AND lease_until IS NOT NULL)sql";
// The attempt count stays: the sender allows one more attempt, and no old lease can match.
constexpr std::string_view kRetryFailedSql = R"sql(
    UPDATE outbox
    SET state = 'pending', next_attempt_at = $1, lease_until = NULL
    WHERE seq = $2 AND state = 'failed'
        AND request_seq = (SELECT seq FROM requests WHERE id = $3))sql";

Notification read_notification(const pg::Row& r) {
    Notification n;
    n.seq = r.int64(0);
    n.request_id = r.text(1);
    n.kind = r.text(2);
    n.recipient = r.text(3);
    n.subject = r.text(4);
    n.body = r.text(5);
    n.state = delivery_state_from(r.text(6)).value_or(DeliveryState::pending);
    n.attempts = static_cast<int>(r.int64(7));
    n.created_at = r.int64(8);
    n.next_attempt_at = r.int64(9);
    n.sent_at = r.optional_int64(10);
    n.last_error = r.text(11);
    return n;
}

struct Lease {
    std::int64_t seq = 0;
    std::int64_t attempts = 0;
};

/// The claim a lease token names; throws invalid_token for text that is not one.
Lease parse_lease(const std::string& token) {
    Lease lease;
    const char* end = token.data() + token.size();
    auto [dot, ec] = std::from_chars(token.data(), end, lease.seq);
    if (ec == std::errc() && dot != end && *dot == '.') {
        auto [last, ec2] = std::from_chars(dot + 1, end, lease.attempts);
        if (ec2 == std::errc() && last == end && lease.seq > 0 && lease.attempts > 0) {
            return lease;
        }
    }
    throw StoreError(StoreErrc::invalid_token, "not an outbox lease");
}

}  // namespace

std::vector<Notification> PostgresStore::claim_due_notifications(Timestamp now,
                                                                 int limit,
                                                                 Timestamp lease_until) {
    std::vector<Notification> out;
    if (!read([&](pg::Connection& c) { return c.first(kAnyDueSql, read_int64, now); })) {
        return out;
    }
    write([&](pg::Connection& c) {
        out = c.all(kClaimSql, read_notification, now, limit, lease_until);
        for (auto& n : out) {
            n.lease = std::to_string(n.seq) + "." + std::to_string(n.attempts);
        }
    });
    return out;
}

bool PostgresStore::mark_notification_sent(const std::string& lease, Timestamp at) {
    const Lease l = parse_lease(lease);
    return write_one(kSentSql, at, l.seq, l.attempts) == 1;
}

bool PostgresStore::mark_notification_failed(const std::string& lease,
                                             const std::string& error,
                                             std::optional<Timestamp> retry_at) {
    const Lease l = parse_lease(lease);
    if (retry_at) {
        return write_one(kRetrySql, *retry_at, error, l.seq, l.attempts) == 1;
    }
    return write_one(kFailedSql, error, l.seq, l.attempts) == 1;
}

bool PostgresStore::retry_notification(std::int64_t seq,
                                       const std::string& request_id,
                                       Timestamp at,
                                       const AuditEntry& audit) {
    bool queued = false;
    // Concerns the outbox: the senders of every server are woken.
    write(
        [&](pg::Connection& c) {
            queued = c.run(kRetryFailedSql, at, seq, request_id) == 1;
            if (queued) {
                pg::insert_audit(c, audit);
            }
        },
        kOutbox);
    return queued;
}

std::vector<Notification> PostgresStore::list_request_notifications(const std::string& request_id) {
    static const std::string sql = "SELECT " + std::string(kNotificationColumns) +
                                   " FROM outbox o LEFT JOIN requests r ON r.seq = o.request_seq"
                                   " WHERE r.id = $1 ORDER BY o.seq";
    return read([&](pg::Connection& c) { return c.all(sql, read_notification, request_id); });
}

}  // namespace open311::store::pg
