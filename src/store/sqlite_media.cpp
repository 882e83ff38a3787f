// SqliteStore: uploaded media rows. The files live in the media storage; these rows make them
// reachable and tie them to a request's moderation state.
#include "store/sqlite_store.hpp"

namespace open311::store {

namespace {

// clang-format off
constexpr std::string_view kFindMediaSql =
    "SELECT m.name, m.content_type, m.size, r.id, r.state "
    "FROM request_media m JOIN requests r ON r.seq = m.request_seq WHERE m.name = ?";
constexpr std::string_view kDeleteMediaSql =
    "DELETE FROM request_media WHERE name = ? "
    "AND request_seq = (SELECT seq FROM requests WHERE id = ?)";
constexpr std::string_view kTouchRequestSql =
    "UPDATE requests SET updated_at = ?, version = version + 1 WHERE id = ?";
// clang-format on

}  // namespace

std::optional<MediaEntry> SqliteStore::find_media(const std::string& name) {
    auto db = reader();
    StatementScope s(db->cached(kFindMediaSql));
    s->bind(1, name);
    if (!s->step()) {
        return std::nullopt;
    }
    MediaEntry entry;
    entry.file = MediaFile{s->text(0), s->text(1), s->int64(2)};
    entry.request_id = s->text(3);
    entry.state = moderation_state_from(s->text(4)).value_or(ModerationState::pending);
    return entry;
}

bool SqliteStore::delete_media(const std::string& request_id,
                               const std::string& name,
                               const AuditEntry& audit) {
    // Thrown out of the write job so that it rolls back to its savepoint.
    struct NotFound {};
    try {
        write([&](Database& db) {
            {
                StatementScope s(db.cached(kDeleteMediaSql));
                s->bind(1, name).bind(2, request_id).run();
                if (db.changes() == 0) {
                    throw NotFound{};
                }
            }
            {
                StatementScope s(db.cached(kTouchRequestSql));
                s->bind(1, audit.at).bind(2, request_id).run();
            }
            insert_audit_line(db, audit);
        });
    } catch (const NotFound&) {
        return false;
    }
    return true;
}

}  // namespace open311::store
