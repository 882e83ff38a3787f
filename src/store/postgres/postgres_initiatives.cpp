// PostgresStore: the municipal initiatives (InitiativeStore). Municipalities come with the
// schema (migrations/postgresql/0002_initiatives.sql); initiatives and authors are replaced
// whole. Every answer equals SQLite's (store/sqlite/sqlite_initiatives.cpp).
#include "store/postgres/postgres_audit.hpp"
#include "store/postgres/postgres_store.hpp"

#include <string_view>

namespace open311::store::pg {
namespace {

constexpr std::string_view kListMunicipalitiesSql = R"sql(
    SELECT code, name_fi, name_sv
    FROM initiative_municipalities
    ORDER BY code)sql";
constexpr std::string_view kFindMunicipalitySql = R"sql(
    SELECT code, name_fi, name_sv
    FROM initiative_municipalities
    WHERE code = $1)sql";

#define OPEN311_INITIATIVE_COLUMNS                                                    \
    "SELECT id, name, proposal, type, municipality, state, fix_state, publish_date, " \
    "sent_date, participants_total, participants_public, participants_residents, "    \
    "participants_external FROM initiatives "
#define OPEN311_PUBLIC_PAGE(order)                                             \
    OPEN311_INITIATIVE_COLUMNS                                                 \
    "WHERE is_public AND ($1::INTEGER IS NULL OR municipality = $1::INTEGER) " \
    "ORDER BY " order " LIMIT $2 OFFSET $3"

// One statement per order, so each is prepared once. Initiatives not yet sent come last in
// both sent orders (PostgreSQL would put NULLs first in a descending order). The dates are
// COLLATE "C" in the schema, so they compare byte by byte as in SQLite.
constexpr std::string_view kPageById = OPEN311_PUBLIC_PAGE("id DESC");
constexpr std::string_view kPageOldestSent =
    OPEN311_PUBLIC_PAGE("sent_date ASC NULLS LAST, id ASC");
constexpr std::string_view kPageLatestSent =
    OPEN311_PUBLIC_PAGE("sent_date DESC NULLS LAST, id DESC");
constexpr std::string_view kPageMostParticipants =
    OPEN311_PUBLIC_PAGE("participants_total + participants_external DESC, id DESC");
constexpr std::string_view kPageLeastParticipants =
    OPEN311_PUBLIC_PAGE("participants_total + participants_external ASC, id ASC");
constexpr std::string_view kPageOldest = OPEN311_PUBLIC_PAGE("publish_date ASC, id ASC");
constexpr std::string_view kPageLatest = OPEN311_PUBLIC_PAGE("publish_date DESC, id DESC");
constexpr std::string_view kFindInitiativeSql = OPEN311_INITIATIVE_COLUMNS "WHERE id = $1";

#undef OPEN311_PUBLIC_PAGE
#undef OPEN311_INITIATIVE_COLUMNS

constexpr std::string_view kListAuthorsSql = R"sql(
    SELECT name, municipality, is_public
    FROM initiative_authors
    WHERE initiative_id = $1
    ORDER BY position)sql";
constexpr std::string_view kCountSql = "SELECT COUNT(*) FROM initiatives";
// Created or replaced in two steps, so that "created" is known exactly: the INSERT returns a
// row only when it created one (a concurrent creation of the same id makes it wait for that
// commit and insert nothing), and the UPDATE then replaces what is there.
constexpr std::string_view kInsertSql = R"sql(
    INSERT INTO initiatives (id, name, proposal, type, municipality, state, fix_state,
        publish_date, sent_date, participants_total, participants_public,
        participants_residents, participants_external)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
    ON CONFLICT (id) DO NOTHING
    RETURNING id)sql";
constexpr std::string_view kReplaceSql = R"sql(
    UPDATE initiatives
    SET name = $2, proposal = $3, type = $4, municipality = $5, state = $6, fix_state = $7,
        publish_date = $8, sent_date = $9, participants_total = $10, participants_public = $11,
        participants_residents = $12, participants_external = $13
    WHERE id = $1)sql";
constexpr std::string_view kDeleteAuthorsSql =
    "DELETE FROM initiative_authors WHERE initiative_id = $1";
constexpr std::string_view kInsertAuthorSql = R"sql(
    INSERT INTO initiative_authors (initiative_id, position, name, municipality, is_public)
    VALUES ($1, $2, $3, $4, $5))sql";
constexpr std::string_view kDeleteSql = "DELETE FROM initiatives WHERE id = $1";

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

Municipality read_municipality(const pg::Row& r) {
    return Municipality{static_cast<int>(r.int64(0)), r.text(1), r.text(2)};
}

std::optional<std::string> optional_text(const pg::Row& r, int column) {
    if (r.is_null(column)) {
        return std::nullopt;
    }
    return r.text(column);
}

Initiative read_initiative(const pg::Row& r) {
    Initiative i;
    i.id = r.int64(0);
    i.name = r.text(1);
    i.proposal = r.text(2);
    // The schema's CHECKs allow only the known names.
    i.type = initiative_type_from(r.text(3)).value_or(InitiativeType::single);
    i.municipality = static_cast<int>(r.int64(4));
    i.state = initiative_state_from(r.text(5)).value_or(InitiativeState::draft);
    i.fix_state = fix_state_from(r.text(6)).value_or(FixState::fix);
    i.publish_date = optional_text(r, 7);
    i.sent_date = optional_text(r, 8);
    i.participants.total = r.int64(9);
    i.participants.is_public = r.int64(10);
    i.participants.residents = r.int64(11);
    i.participants.external = r.int64(12);
    return i;
}

InitiativeAuthor read_author(const pg::Row& r) {
    InitiativeAuthor a;
    a.name = r.text(0);
    if (auto code = r.optional_int64(1)) {
        a.municipality = static_cast<int>(*code);
    }
    a.is_public = r.boolean(2);
    return a;
}

/// The initiative's row (not its authors); returns true when it created the row.
bool write_initiative(pg::Connection& c, const Initiative& i) {
    const auto params = params_of(i.id,
                                  i.name,
                                  i.proposal,
                                  to_string(i.type),
                                  i.municipality,
                                  to_string(i.state),
                                  to_string(i.fix_state),
                                  i.publish_date,
                                  i.sent_date,
                                  i.participants.total,
                                  i.participants.is_public,
                                  i.participants.residents,
                                  i.participants.external);
    if (c.query(kInsertSql, params).rows() == 1) {
        return true;
    }
    c.query(kReplaceSql, params);
    return false;
}

}  // namespace

std::vector<Municipality> PostgresStore::list_municipalities() {
    return read([](pg::Connection& c) { return c.all(kListMunicipalitiesSql, read_municipality); });
}

std::optional<Municipality> PostgresStore::find_municipality(int code) {
    return read(
        [&](pg::Connection& c) { return c.first(kFindMunicipalitySql, read_municipality, code); });
}

std::vector<Initiative> PostgresStore::list_public_initiatives(const InitiativeQuery& query) {
    const std::int64_t limit = query.limit < 0 ? 0 : query.limit;
    const std::int64_t offset = query.offset < 0 ? 0 : query.offset;
    return read([&](pg::Connection& c) {
        return c.all(page_sql(query.order), read_initiative, query.municipality, limit, offset);
    });
}

std::optional<Initiative> PostgresStore::find_initiative(std::int64_t id) {
    return read([&](pg::Connection& c) {
        // One snapshot, so the initiative and its authors are of the same commit.
        pg::Transaction snapshot(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        auto found = c.first(kFindInitiativeSql, read_initiative, id);
        if (found) {
            found->authors = c.all(kListAuthorsSql, read_author, id);
        }
        snapshot.commit();
        return found;
    });
}

std::int64_t PostgresStore::count_initiatives() {
    return read([](pg::Connection& c) { return *c.first(kCountSql, read_int64); });
}

bool PostgresStore::save_initiative(const Initiative& i, const AuditEntry& audit) {
    bool created = false;
    write([&](pg::Connection& c) {
        created = write_initiative(c, i);
        c.run(kDeleteAuthorsSql, i.id);
        std::int64_t position = 0;
        for (const auto& a : i.authors) {
            c.run(kInsertAuthorSql, i.id, position++, a.name, a.municipality, a.is_public);
        }
        insert_audit(c, audit);
    });
    return created;
}

bool PostgresStore::delete_initiative(std::int64_t id, const AuditEntry& audit) {
    return write_audited([&](pg::Connection& c) { return c.run(kDeleteSql, id) == 1; }, &audit);
}

}  // namespace open311::store::pg
