#include "store/sqlite/migrate.hpp"

#include "store/sqlite/database.hpp"
#include "util/embedded.hpp"

#include <algorithm>
#include <charconv>
#include <optional>
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
    FROM schema_migrations
    ORDER BY version)sql";
constexpr std::string_view kRecordSql = R"sql(
    INSERT INTO schema_migrations (version, name, applied_at)
    VALUES (?, ?, strftime('%s', 'now')))sql";
constexpr std::string_view kBusyTimeoutSql = "PRAGMA busy_timeout";

/// How long a start waits for another process's migration before it gives up.
constexpr int kMigrationLockWait = 10 * 60 * 1000;  // milliseconds

/// Sets the connection's busy timeout for its lifetime, then puts the previous one back.
class BusyTimeout final {
public:
    BusyTimeout(Database& db, int milliseconds)
        : db_(db), previous_(*db.first(kBusyTimeoutSql, read_int64)) {
        sqlite3_busy_timeout(db_.handle(), milliseconds);
    }
    ~BusyTimeout() { sqlite3_busy_timeout(db_.handle(), static_cast<int>(previous_)); }
    BusyTimeout(const BusyTimeout&) = delete;
    BusyTimeout& operator=(const BusyTimeout&) = delete;

private:
    Database& db_;
    std::int64_t previous_;
};

/// The first known migration not yet recorded, read inside the caller's write transaction;
/// nullopt when none is missing. Refuses a database newer than this binary.
std::optional<Migration> next_missing(Database& db) {
    const std::int64_t current = *db.first(kMaxVersionSql, read_int64);
    if (current > latest_schema_version()) {
        throw StoreError(StoreErrc::incompatible,
                         "the database schema (version " + std::to_string(current) +
                             ") is newer than this program knows (version " +
                             std::to_string(latest_schema_version()) + "); upgrade open311d");
    }
    // Every migration not yet recorded runs, in order, not only those above the highest: a
    // database made by a build that had a later migration before an earlier one was merged
    // still gets the earlier one.
    const auto recorded = db.all(kAppliedSql, read_int64);
    const std::set<std::int64_t> done(recorded.begin(), recorded.end());
    for (auto& m : known_migrations()) {
        if (done.count(m.version) == 0) {
            return m;
        }
    }
    return std::nullopt;
}

}  // namespace

int latest_schema_version() {
    auto all = known_migrations();
    return all.empty() ? 0 : all.back().version;
}

std::vector<std::string> migrate(Database& db) {
    // Another process may be migrating the same file right now (two servers started together
    // on a new database). Each step holds the write lock (BEGIN IMMEDIATE) from reading the
    // recorded versions to recording the one it applies, so a second process waits for the
    // first one's step, then sees it applied. A long migration may hold the lock far longer
    // than the usual busy timeout: wait for it as long as kMigrationLockWait.
    const BusyTimeout patient(db, kMigrationLockWait);
    std::vector<std::string> applied;
    for (;;) {
        Transaction tx(db);
        db.exec(std::string(kCreateMigrationsTableSql));
        const auto next = next_missing(db);
        if (!next) {
            tx.commit();
            return applied;
        }
        db.exec(std::string(next->sql));
        db.run(kRecordSql, next->version, next->name);
        tx.commit();
        applied.push_back(next->name);
    }
}

}  // namespace open311::store
