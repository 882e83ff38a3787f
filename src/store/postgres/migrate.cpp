#include "store/postgres/migrate.hpp"

#include "store/postgres/pq.hpp"
#include "util/embedded.hpp"

#include <algorithm>
#include <charconv>
#include <set>

namespace open311::store::pg {
namespace {

struct Migration {
    int version;
    std::string name;
    std::string_view sql;
};

std::vector<Migration> known_migrations() {
    std::vector<Migration> out;
    for (const auto& file : embedded_postgres_migrations()) {
        int version = 0;
        std::from_chars(file.name.data(), file.name.data() + file.name.size(), version);
        out.push_back({version, std::string(file.name), file.content});
    }
    std::sort(
        out.begin(), out.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return out;
}

// One lock per schema: a database may hold several open311d schemas (search_path), each
// migrated on its own.
constexpr std::string_view kLockSql = R"sql(
    SELECT pg_advisory_lock(hashtext('open311d migrate ' || COALESCE(current_schema(), ''))))sql";
constexpr std::string_view kUnlockSql = R"sql(
    SELECT pg_advisory_unlock(hashtext('open311d migrate ' || COALESCE(current_schema(), ''))))sql";
constexpr std::string_view kCreateMigrationsTableSql = R"sql(
    CREATE TABLE IF NOT EXISTS schema_migrations (
        version    INTEGER PRIMARY KEY,
        name       TEXT NOT NULL,
        applied_at BIGINT NOT NULL
    ))sql";
constexpr std::string_view kAppliedSql = R"sql(
    SELECT version
    FROM schema_migrations
    ORDER BY version)sql";
constexpr std::string_view kRecordSql = R"sql(
    INSERT INTO schema_migrations (version, name, applied_at)
    VALUES ($1, $2, EXTRACT(EPOCH FROM now())::BIGINT))sql";

/// Holds the migration lock for its lifetime.
class MigrationLock final {
public:
    explicit MigrationLock(Connection& c) : c_(c) { c_.run(kLockSql); }
    ~MigrationLock() {
        try {
            c_.run(kUnlockSql);
        } catch (const StoreError&) {
            // A lost connection has released its session locks already.
        }
    }
    MigrationLock(const MigrationLock&) = delete;
    MigrationLock& operator=(const MigrationLock&) = delete;

private:
    Connection& c_;
};

}  // namespace

int latest_schema_version() {
    auto all = known_migrations();
    return all.empty() ? 0 : all.back().version;
}

std::vector<std::string> migrate(Connection& c) {
    // The table is created under the lock too: two first starts would otherwise race on it.
    const MigrationLock lock(c);
    c.exec(std::string(kCreateMigrationsTableSql));
    const auto recorded = c.all(kAppliedSql, read_int64);
    const std::int64_t current = recorded.empty() ? 0 : recorded.back();
    if (current > latest_schema_version()) {
        throw StoreError(StoreErrc::incompatible,
                         "the database schema (version " + std::to_string(current) +
                             ") is newer than this program knows (version " +
                             std::to_string(latest_schema_version()) + "); upgrade open311d");
    }
    // Every migration not yet recorded runs, in order, not only those above the highest.
    const std::set<std::int64_t> done(recorded.begin(), recorded.end());
    std::vector<std::string> applied;
    for (const auto& m : known_migrations()) {
        if (done.count(m.version) != 0) {
            continue;
        }
        Transaction tx(c);
        c.exec(std::string(m.sql));
        c.run(kRecordSql, m.version, m.name);
        tx.commit();
        applied.push_back(m.name);
    }
    return applied;
}

}  // namespace open311::store::pg
