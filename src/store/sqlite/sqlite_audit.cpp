// SqliteStore: the audit trail. Lines are written by the changes they describe, inside their
// transactions (sqlite_cases.cpp, sqlite_catalogue.cpp, sqlite_media.cpp, sqlite_store.cpp).
#include "store/sqlite/sqlite_audit.hpp"

#include "store/sqlite/sqlite_store.hpp"

#include <charconv>

namespace open311::store {
namespace {

// One statement for every combination of conditions: an absent condition is bound as NULL.
// The trail is read newest first along the primary key, whose value is also the cursor: one
// writer commits in key order, so no line can appear behind a cursor already handed out.
constexpr std::string_view kInsertAuditSql = R"sql(
    INSERT INTO audit_log (at, actor, action, request_id, subject, detail)
    VALUES (?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kListAuditSql = R"sql(
    SELECT seq, at, actor, action, request_id, subject, detail
    FROM audit_log
    WHERE request_id = ?
    ORDER BY seq)sql";
constexpr std::string_view kSearchAuditSql = R"sql(
    SELECT seq, at, actor, action, request_id, subject, detail
    FROM audit_log
    WHERE (?1 IS NULL OR request_id = ?1)
        AND (?2 IS NULL OR actor = ?2)
        AND (?3 IS NULL OR action = ?3
             OR (substr(?3, -1) = '.' AND substr(action, 1, length(?3)) = ?3))
        AND (?4 IS NULL OR at >= ?4)
        AND (?5 IS NULL OR seq < ?5)
    ORDER BY seq DESC
    LIMIT ?6)sql";

AuditEntry read_audit(Statement& s) {
    return AuditEntry{
        s.int64(0), s.int64(1), s.text(2), s.text(3), s.text(4), s.text(5), s.text(6)};
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

void insert_audit(Database& db, const AuditEntry& a) {
    db.run(kInsertAuditSql,
           a.at,
           a.actor,
           a.action,
           null_if_empty(a.request_id),
           a.subject,
           a.detail.empty() ? std::string("{}") : a.detail);
}

void SqliteStore::append_audit(const AuditEntry& entry) {
    write([&entry](Database& db) { insert_audit(db, entry); });
}

std::vector<AuditEntry> SqliteStore::list_request_audit(const std::string& request_id) {
    return reader()->all(kListAuditSql, read_audit, request_id);
}

std::string SqliteStore::audit_cursor(const AuditEntry& line) {
    return std::to_string(line.seq);
}

std::vector<AuditEntry> SqliteStore::search_audit(const AuditFilter& filter) {
    const auto before = filter.before.empty()
                            ? std::nullopt
                            : std::optional<std::int64_t>(cursor_seq(filter.before));
    return reader()->all(kSearchAuditSql,
                         read_audit,
                         null_if_empty(filter.request_id),
                         null_if_empty(filter.actor),
                         null_if_empty(filter.action),
                         filter.since,
                         before,
                         filter.limit);
}

}  // namespace open311::store
