// PostgresStore: uploaded media rows. The files live in the media storage; these rows make them
// reachable and tie them to a request's moderation state.
#include "store/postgres/postgres_store.hpp"

namespace open311::store::pg {
namespace {

constexpr std::string_view kFindMediaSql = R"sql(
    SELECT m.name, m.content_type, m.size, r.id, r.state
    FROM request_media m
    JOIN requests r ON r.seq = m.request_seq
    WHERE m.name = $1)sql";
constexpr std::string_view kDeleteMediaSql = R"sql(
    DELETE FROM request_media
    WHERE name = $1 AND request_seq = (SELECT seq FROM requests WHERE id = $2))sql";
constexpr std::string_view kTouchRequestSql = R"sql(
    UPDATE requests
    SET updated_at = $1, version = version + 1
    WHERE id = $2)sql";

MediaEntry read_media(const pg::Row& r) {
    MediaEntry entry;
    entry.file = MediaFile{r.text(0), r.text(1), r.int64(2)};
    entry.request_id = r.text(3);
    entry.state = moderation_state_from(r.text(4)).value_or(ModerationState::pending);
    return entry;
}

}  // namespace

std::optional<MediaEntry> PostgresStore::find_media(const std::string& name) {
    return read([&](pg::Connection& c) { return c.first(kFindMediaSql, read_media, name); });
}

bool PostgresStore::delete_media(const std::string& request_id,
                                 const std::string& name,
                                 const AuditEntry& audit) {
    return write_audited(
        [&](pg::Connection& c) {
            if (c.run(kDeleteMediaSql, name, request_id) != 1) {
                return false;
            }
            c.run(kTouchRequestSql, audit.at, request_id);
            return true;
        },
        &audit);
}

}  // namespace open311::store::pg
