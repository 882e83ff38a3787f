// SqliteStore: the outbox, claimed by senders that may run in several processes. A lease token
// names one claim: the message's seq and its attempt count after the claim, which every later
// claim moves, so the outcome of a claim whose lease was taken over is refused.
#include "store/sqlite/sqlite_store.hpp"

#include <charconv>

namespace open311::store {
namespace {

constexpr std::string_view kNotificationColumns = R"sql(
    SELECT o.seq, r.id, o.kind, o.recipient, o.subject, o.body, o.state, o.attempts,
        o.created_at, o.next_attempt_at, o.sent_at, o.last_error
    FROM outbox o
    LEFT JOIN requests r ON r.seq = o.request_seq)sql";
constexpr std::string_view kDueSql = R"sql(
    SELECT seq
    FROM outbox
    WHERE state = 'pending' AND next_attempt_at <= ?
        AND (lease_until IS NULL OR lease_until <= ?)
    ORDER BY next_attempt_at, seq
    LIMIT ?)sql";
constexpr std::string_view kLeaseSql = R"sql(
    UPDATE outbox
    SET lease_until = ?, attempts = attempts + 1
    WHERE seq = ?)sql";
// The lease is held while the attempt count is the claim's and no outcome is recorded.
constexpr std::string_view kSentSql = R"sql(
    UPDATE outbox
    SET state = 'sent', sent_at = ?, lease_until = NULL, last_error = ''
    WHERE seq = ? AND attempts = ? AND state = 'pending' AND lease_until IS NOT NULL)sql";
constexpr std::string_view kRetrySql = R"sql(
    UPDATE outbox
    SET next_attempt_at = ?, lease_until = NULL, last_error = ?
    WHERE seq = ? AND attempts = ? AND state = 'pending' AND lease_until IS NOT NULL)sql";
constexpr std::string_view kFailedSql = R"sql(
    UPDATE outbox
    SET state = 'failed', lease_until = NULL, last_error = ?
    WHERE seq = ? AND attempts = ? AND state = 'pending' AND lease_until IS NOT NULL)sql";

// The attempt count stays: the sender allows one more attempt, and no old lease can match.
constexpr std::string_view kRetryFailedSql = R"sql(
    UPDATE outbox
    SET state = 'pending', next_attempt_at = ?, lease_until = NULL
    WHERE seq = ? AND state = 'failed'
        AND request_seq = (SELECT seq FROM requests WHERE id = ?))sql";

Notification read_notification(Statement& s) {
    Notification n;
    n.seq = s.int64(0);
    n.request_id = s.text(1);
    n.kind = s.text(2);
    n.recipient = s.text(3);
    n.subject = s.text(4);
    n.body = s.text(5);
    n.state = delivery_state_from(s.text(6)).value_or(DeliveryState::pending);
    n.attempts = static_cast<int>(s.int64(7));
    n.created_at = s.int64(8);
    n.next_attempt_at = s.int64(9);
    n.sent_at = s.optional_int64(10);
    n.last_error = s.text(11);
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

std::vector<Notification> SqliteStore::claim_due_notifications(Timestamp now,
                                                               int limit,
                                                               Timestamp lease_until) {
    static const std::string by_seq = std::string(kNotificationColumns) + " WHERE o.seq = ?";
    std::vector<Notification> out;
    write([&](Database& db) {
        for (auto seq : db.all(kDueSql, read_int64, now, now, limit)) {
            db.run(kLeaseSql, lease_until, seq);
            if (auto n = db.first(by_seq, read_notification, seq)) {
                n->lease = std::to_string(n->seq) + "." + std::to_string(n->attempts);
                out.push_back(std::move(*n));
            }
        }
    });
    return out;
}

bool SqliteStore::mark_notification_sent(const std::string& lease, Timestamp at) {
    const Lease l = parse_lease(lease);
    return write_one(kSentSql, at, l.seq, l.attempts) == 1;
}

bool SqliteStore::mark_notification_failed(const std::string& lease,
                                           const std::string& error,
                                           std::optional<Timestamp> retry_at) {
    const Lease l = parse_lease(lease);
    if (retry_at) {
        return write_one(kRetrySql, *retry_at, error, l.seq, l.attempts) == 1;
    }
    return write_one(kFailedSql, error, l.seq, l.attempts) == 1;
}

bool SqliteStore::retry_notification(std::int64_t seq,
                                     const std::string& request_id,
                                     Timestamp at,
                                     const AuditEntry& audit) {
    const bool queued = write_audited(
        [&](Database& db) { return db.run(kRetryFailedSql, at, seq, request_id) == 1; }, &audit);
    if (queued) {
        notify(Topic::outbox);  // wake the sender
    }
    return queued;
}

std::vector<Notification> SqliteStore::list_request_notifications(const std::string& request_id) {
    static const std::string sql =
        std::string(kNotificationColumns) + " WHERE r.id = ? ORDER BY o.seq";
    return reader()->all(sql, read_notification, request_id);
}

}  // namespace open311::store
