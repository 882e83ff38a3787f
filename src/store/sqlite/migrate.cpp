#include "store/sqlite/migrate.hpp"

#include "store/sqlite/database.hpp"
#include "util/embedded.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace open311::store {
namespace {

struct Migration {
    int version;
    std::string name;
    std::string_view sql;
};

std::vector<Migration> known_migrations() {
    std::vector<Migration> out;
    for (const auto& file : embedded_migrations()) {
        int version = 0;
        std::from_chars(file.name.data(), file.name.data() + file.name.size(), version);
        out.push_back({version, std::string(file.name), file.content});
    }
    std::sort(
        out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

constexpr std::string_view kCreateMigrationsTableSql = R"sql(
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        applied_at INTEGER NOT NULL
    ))sql";
constexpr std::string_view kMaxVersionSql = R"sql(
    SELECT COALESCE(MAX(version), 0)
    FROM schema_migrations)sql";
constexpr std::string_view kAppliedSql = R"sql(
    SELECT version
    FROM schema_migrations)sql";
constexpr std::string_view kRecordSql = R"sql(
    INSERT INTO schema_migrations (version, name, applied_at)
    VALUES (?, ?, strftime('%s', 'now')))sql";

}  // namespace

int latest_schema_version() {
    auto all = known_migrations();
    return all.empty() ? 0 : all.back().version;
}

std::vector<std::string> migrate(Database& db) {
    db.exec(std::string(kCreateMigrationsTableSql));
    std::int64_t current = 0;
    {
        StatementScope s(db.cached(kMaxVersionSql));
        s->step();
        current = s->int64(0);
    }
    if (current > latest_schema_version()) {
        throw StoreError(StoreErrc::incompatible,
                         "the database schema (version " + std::to_string(current) +
                             ") is newer than this program knows (version " +
                             std::to_string(latest_schema_version()) + "); upgrade open311d");
    }
    // Every migration not yet recorded runs, in order, not only those above the highest: a
    // database made by a build that had a later migration before an earlier one was merged
    // still gets the earlier one.
    std::set<std::int64_t> done;
    {
        StatementScope s(db.cached(kAppliedSql));
        while (s->step()) {
            done.insert(s->int64(0));
        }
    }
    std::vector<std::string> applied;
    for (const auto& m : known_migrations()) {
        if (done.count(m.version) != 0) {
            continue;
        }
        Transaction tx(db);
        db.exec(std::string(m.sql));
        {
            StatementScope s(db.cached(kRecordSql));
            s->bind(1, m.version).bind(2, m.name).run();
        }
        tx.commit();
        applied.push_back(m.name);
    }
    return applied;
}

}  // namespace open311::store
