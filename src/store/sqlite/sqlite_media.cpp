// SqliteStore: uploaded media rows. The files live in the media storage; these rows make them
// reachable and tie them to a request's moderation state.
#include "store/sqlite/sqlite_store.hpp"

namespace open311::store {

namespace {

constexpr std::string_view kFindMediaSql = R"sql(
    SELECT m.name, m.content_type, m.size, r.id, r.state
    FROM request_media m
    JOIN requests r ON r.seq = m.request_seq
    WHERE m.name = ?)sql";
constexpr std::string_view kDeleteMediaSql = R"sql(
    DELETE FROM request_media
    WHERE name = ? AND request_seq = (SELECT seq FROM requests WHERE id = ?))sql";
constexpr std::string_view kTouchRequestSql = R"sql(
    UPDATE requests
    SET updated_at = ?, version = version + 1
    WHERE id = ?)sql";

MediaEntry read_media(Statement& s) {
    MediaEntry entry;
    entry.file = MediaFile{s.text(0), s.text(1), s.int64(2)};
    entry.request_id = s.text(3);
    entry.state = moderation_state_from(s.text(4)).value_or(ModerationState::pending);
    return entry;
}

}  // namespace

std::optional<MediaEntry> SqliteStore::find_media(const std::string& name) {
    return reader()->first(kFindMediaSql, read_media, name);
}

bool SqliteStore::delete_media(const std::string& request_id,
                               const std::string& name,
                               const AuditEntry& audit) {
    return write_audited(
        [&](Database& db) {
            if (db.run(kDeleteMediaSql, name, request_id) != 1) {
                return false;
            }
            db.run(kTouchRequestSql, audit.at, request_id);
            return true;
        },
        &audit);
}

}  // namespace open311::store
