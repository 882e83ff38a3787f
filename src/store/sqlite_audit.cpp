// SqliteStore: reading the audit trail across everything. Lines are written by the changes
// they describe (sqlite_workflow.cpp, sqlite_catalogue.cpp, sqlite_store.cpp).
#include "store/sqlite_audit.hpp"

#include "store/sqlite_store.hpp"

namespace open311::store {
namespace {

// One statement for every combination of conditions: an absent condition is bound as NULL.
// The trail is read newest first along the primary key, which is also the paging cursor.
// clang-format off
constexpr std::string_view kSearchAuditSql =
    "SELECT seq, at, actor, action, request_id, subject, detail FROM audit_log "
    "WHERE (?1 IS NULL OR request_id = ?1) "
    "AND (?2 IS NULL OR actor = ?2) "
    "AND (?3 IS NULL OR action = ?3 "
    "     OR (substr(?3, -1) = '.' AND substr(action, 1, length(?3)) = ?3)) "
    "AND (?4 IS NULL OR at >= ?4) "
    "AND (?5 IS NULL OR seq < ?5) "
    "ORDER BY seq DESC LIMIT ?6";
// clang-format on

std::optional<std::string> condition(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string>(text);
}

}  // namespace

std::vector<AuditEntry> SqliteStore::search_audit(const AuditFilter& filter) {
    auto db = reader();
    StatementScope s(db->cached(kSearchAuditSql));
    s->bind(1, condition(filter.request_id))
        .bind(2, condition(filter.actor))
        .bind(3, condition(filter.action))
        .bind(4, filter.since)
        .bind(5, filter.before)
        .bind(6, filter.limit);
    std::vector<AuditEntry> out;
    while (s->step()) {
        out.push_back(AuditEntry{
            s->int64(0), s->int64(1), s->text(2), s->text(3), s->text(4), s->text(5), s->text(6)});
    }
    return out;
}

}  // namespace open311::store
