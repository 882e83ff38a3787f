// PostgresStore: the audit trail. Lines are written by the changes they describe, inside their
// transactions (postgres_cases.cpp, postgres_catalogue.cpp, postgres_media.cpp,
// postgres_keys.cpp).
#include "store/postgres/postgres_audit.hpp"

#include "store/postgres/postgres_store.hpp"

#include <charconv>

namespace open311::store::pg {
namespace {

// Concurrent transactions take identity values in one order and may commit in another: a
// line with a lower seq could then appear after a cursor past it was handed out. Audit lines
// are therefore inserted under one transaction-level advisory lock, held until commit, so
// they commit in seq order (what SQLite's single writer gives by itself).
constexpr std::string_view kAuditLockSql = R"sql(
    SELECT pg_advisory_xact_lock(hashtext('open311d audit ' || COALESCE(current_schema(), ''))))sql";
constexpr std::string_view kInsertAuditSql = R"sql(
    INSERT INTO audit_log (at, actor, action, request_id, subject, detail)
    VALUES ($1, $2, $3, $4, $5, $6))sql";
constexpr std::string_view kListAuditSql = R"sql(
    SELECT seq, at, actor, action, request_id, subject, detail
    FROM audit_log
    WHERE request_id = $1
    ORDER BY seq)sql";
// One statement for every combination of conditions: an absent condition is passed as NULL.
constexpr std::string_view kSearchAuditSql = R"sql(
    SELECT seq, at, actor, action, request_id, subject, detail
    FROM audit_log
    WHERE ($1::TEXT IS NULL OR request_id = $1)
        AND ($2::TEXT IS NULL OR actor = $2)
        AND ($3::TEXT IS NULL OR action = $3
             OR (right($3, 1) = '.' AND left(action, length($3)) = $3))
        AND ($4::BIGINT IS NULL OR at >= $4)
        AND ($5::BIGINT IS NULL OR seq < $5)
    ORDER BY seq DESC
    LIMIT $6)sql";

AuditEntry read_audit(const pg::Row& r) {
    return AuditEntry{
        r.int64(0), r.int64(1), r.text(2), r.text(3), r.text(4), r.text(5), r.text(6)};
}

/// The seq a cursor of audit_cursor stands for; throws invalid_token for any other text.
std::int64_t cursor_seq(const std::string& cursor) {
    std::int64_t seq = 0;
    const char* end = cursor.data() + cursor.size();
    auto [ptr, ec] = std::from_chars(cursor.data(), end, seq);
    if (ec != std::errc() || ptr != end || seq < 1) {
        throw StoreError(StoreErrc::invalid_token, "not an audit cursor");
    }
    return seq;
}

}  // namespace

void insert_audit(Connection& c, const AuditEntry& a) {
    c.run(kAuditLockSql);
    c.run(kInsertAuditSql,
          a.at,
          a.actor,
          a.action,
          null_if_empty(a.request_id),
          a.subject,
          a.detail.empty() ? std::string("{}") : a.detail);
}

void PostgresStore::append_audit(const AuditEntry& entry) {
    write([&entry](pg::Connection& c) { pg::insert_audit(c, entry); });
}

std::vector<AuditEntry> PostgresStore::list_request_audit(const std::string& request_id) {
    return read([&](pg::Connection& c) { return c.all(kListAuditSql, read_audit, request_id); });
}

std::string PostgresStore::audit_cursor(const AuditEntry& line) {
    return std::to_string(line.seq);
}

std::vector<AuditEntry> PostgresStore::search_audit(const AuditFilter& filter) {
    const auto before = filter.before.empty()
                            ? std::nullopt
                            : std::optional<std::int64_t>(cursor_seq(filter.before));
    return read([&](pg::Connection& c) {
        return c.all(kSearchAuditSql,
                     read_audit,
                     pg::null_if_empty(filter.request_id),
                     pg::null_if_empty(filter.actor),
                     pg::null_if_empty(filter.action),
                     filter.since,
                     before,
                     filter.limit);
    });
}

}  // namespace open311::store::pg
