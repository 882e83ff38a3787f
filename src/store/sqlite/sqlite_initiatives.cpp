// SqliteStore: the municipal initiatives (InitiativeStore). Municipalities come with the
// schema (migrations/0008_initiatives.sql); initiatives and authors are replaced whole.
#include "store/sqlite/sqlite_audit.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <string_view>

namespace open311::store {
namespace {

constexpr std::string_view kListMunicipalitiesSql = R"sql(
    SELECT code, name_fi, name_sv
    FROM initiative_municipalities
    ORDER BY code)sql";
constexpr std::string_view kFindMunicipalitySql = R"sql(
    SELECT code, name_fi, name_sv
    FROM initiative_municipalities
    WHERE code = ?)sql";

#define OPEN311_INITIATIVE_COLUMNS                                                    \
    "SELECT id, name, proposal, type, municipality, state, fix_state, publish_date, " \
    "sent_date, participants_total, participants_public, participants_residents, "    \
    "participants_external FROM initiatives "
#define OPEN311_PUBLIC_PAGE(order)                           \
    OPEN311_INITIATIVE_COLUMNS                               \
    "WHERE is_public AND (?1 IS NULL OR municipality = ?1) " \
    "ORDER BY " order " LIMIT ?2 OFFSET ?3"

// One statement per order, so each is prepared once. Initiatives not yet sent come last in
// both sent orders (SQLite would put NULLs first in an ascending order).
constexpr std::string_view kPageById = OPEN311_PUBLIC_PAGE("id DESC");
constexpr std::string_view kPageOldestSent =
    OPEN311_PUBLIC_PAGE("sent_date IS NULL, sent_date ASC, id ASC");
constexpr std::string_view kPageLatestSent =
    OPEN311_PUBLIC_PAGE("sent_date IS NULL, sent_date DESC, id DESC");
constexpr std::string_view kPageMostParticipants =
    OPEN311_PUBLIC_PAGE("participants_total + participants_external DESC, id DESC");
constexpr std::string_view kPageLeastParticipants =
    OPEN311_PUBLIC_PAGE("participants_total + participants_external ASC, id ASC");
constexpr std::string_view kPageOldest = OPEN311_PUBLIC_PAGE("publish_date ASC, id ASC");
constexpr std::string_view kPageLatest = OPEN311_PUBLIC_PAGE("publish_date DESC, id DESC");
constexpr std::string_view kFindInitiativeSql = OPEN311_INITIATIVE_COLUMNS "WHERE id = ?";

#undef OPEN311_PUBLIC_PAGE
#undef OPEN311_INITIATIVE_COLUMNS

constexpr std::string_view kListAuthorsSql = R"sql(
    SELECT name, municipality, is_public
    FROM initiative_authors
    WHERE initiative_id = ?
    ORDER BY position)sql";
constexpr std::string_view kCountSql = "SELECT COUNT(*) FROM initiatives";
constexpr std::string_view kExistsSql = "SELECT 1 FROM initiatives WHERE id = ?";
constexpr std::string_view kUpsertSql = R"sql(
    INSERT INTO initiatives (id, name, proposal, type, municipality, state, fix_state,
        publish_date, sent_date, participants_total, participants_public,
        participants_residents, participants_external)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET
        name = excluded.name, proposal = excluded.proposal, type = excluded.type,
        municipality = excluded.municipality, state = excluded.state,
        fix_state = excluded.fix_state, publish_date = excluded.publish_date,
        sent_date = excluded.sent_date, participants_total = excluded.participants_total,
        participants_public = excluded.participants_public,
        participants_residents = excluded.participants_residents,
        participants_external = excluded.participants_external)sql";
constexpr std::string_view kDeleteAuthorsSql =
    "DELETE FROM initiative_authors WHERE initiative_id = ?";
constexpr std::string_view kInsertAuthorSql = R"sql(
    INSERT INTO initiative_authors (initiative_id, position, name, municipality, is_public)
    VALUES (?, ?, ?, ?, ?))sql";
constexpr std::string_view kDeleteSql = "DELETE FROM initiatives WHERE id = ?";

std::string_view page_sql(InitiativeOrder order) {
    switch (order) {
        case InitiativeOrder::oldest_sent:
            return kPageOldestSent;
        case InitiativeOrder::latest_sent:
            return kPageLatestSent;
        case InitiativeOrder::most_participants:
            return kPageMostParticipants;
        case InitiativeOrder::least_participants:
            return kPageLeastParticipants;
        case InitiativeOrder::oldest:
            return kPageOldest;
        case InitiativeOrder::latest:
            return kPageLatest;
        case InitiativeOrder::id:
            break;
    }
    return kPageById;
}

Municipality read_municipality(Statement& s) {
    return Municipality{static_cast<int>(s.int64(0)), s.text(1), s.text(2)};
}

std::optional<std::string> optional_text(Statement& s, int column) {
    if (s.is_null(column)) {
        return std::nullopt;
    }
    return s.text(column);
}

Initiative read_initiative(Statement& s) {
    Initiative i;
    i.id = s.int64(0);
    i.name = s.text(1);
    i.proposal = s.text(2);
    // The schema's CHECKs allow only the known names.
    i.type = initiative_type_from(s.text(3)).value_or(InitiativeType::single);
    i.municipality = static_cast<int>(s.int64(4));
    i.state = initiative_state_from(s.text(5)).value_or(InitiativeState::draft);
    i.fix_state = fix_state_from(s.text(6)).value_or(FixState::fix);
    i.publish_date = optional_text(s, 7);
    i.sent_date = optional_text(s, 8);
    i.participants.total = s.int64(9);
    i.participants.is_public = s.int64(10);
    i.participants.residents = s.int64(11);
    i.participants.external = s.int64(12);
    return i;
}

InitiativeAuthor read_author(Statement& s) {
    InitiativeAuthor a;
    a.name = s.text(0);
    if (auto code = s.optional_int64(1)) {
        a.municipality = static_cast<int>(*code);
    }
    a.is_public = s.int64(2) != 0;
    return a;
}

}  // namespace

std::vector<Municipality> SqliteStore::list_municipalities() {
    return reader()->all(kListMunicipalitiesSql, read_municipality);
}

std::optional<Municipality> SqliteStore::find_municipality(int code) {
    return reader()->first(kFindMunicipalitySql, read_municipality, code);
}

std::vector<Initiative> SqliteStore::list_public_initiatives(const InitiativeQuery& query) {
    const std::int64_t limit = query.limit < 0 ? 0 : query.limit;
    const std::int64_t offset = query.offset < 0 ? 0 : query.offset;
    std::optional<std::int64_t> municipality;
    if (query.municipality) {
        municipality = *query.municipality;
    }
    return reader()->all(page_sql(query.order), read_initiative, municipality, limit, offset);
}

std::optional<Initiative> SqliteStore::find_initiative(std::int64_t id) {
    auto db = reader();
    // One read transaction, so the initiative and its authors are of the same commit.
    db->exec("BEGIN");
    try {
        auto found = db->first(kFindInitiativeSql, read_initiative, id);
        if (found) {
            found->authors = db->all(kListAuthorsSql, read_author, id);
        }
        db->exec("COMMIT");
        return found;
    } catch (...) {
        db->exec("ROLLBACK");
        throw;
    }
}

std::int64_t SqliteStore::count_initiatives() {
    return *reader()->first(kCountSql, read_int64);
}

bool SqliteStore::save_initiative(const Initiative& i, const AuditEntry& audit) {
    bool created = false;
    write([&](Database& db) {
        created = !db.first(kExistsSql, read_int64, i.id).has_value();
        const std::string type(to_string(i.type));
        const std::string state(to_string(i.state));
        const std::string fix_state(to_string(i.fix_state));
        db.run(kUpsertSql,
               i.id,
               i.name,
               i.proposal,
               type,
               i.municipality,
               state,
               fix_state,
               i.publish_date,
               i.sent_date,
               i.participants.total,
               i.participants.is_public,
               i.participants.residents,
               i.participants.external);
        db.run(kDeleteAuthorsSql, i.id);
        std::int64_t position = 0;
        for (const auto& a : i.authors) {
            db.run(kInsertAuthorSql,
                   i.id,
                   position++,
                   a.name,
                   a.municipality,
                   std::int64_t{a.is_public ? 1 : 0});
        }
        insert_audit(db, audit);
    });
    return created;
}

bool SqliteStore::delete_initiative(std::int64_t id, const AuditEntry& audit) {
    return write_audited([&](Database& db) { return db.run(kDeleteSql, id) == 1; }, &audit);
}

}  // namespace open311::store
