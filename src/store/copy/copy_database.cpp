// `open311d copy`: every table of tables.cpp from one database to another, ids kept, in one
// transaction on the target.
#include "open311/store/copy_database.hpp"

#include "store/backends.hpp"
#include "store/copy/tables.hpp"
#include "store/postgres/postgres_tables.hpp"
#include "store/sqlite/sqlite_tables.hpp"

#include "open311/store/make_store.hpp"

#include <algorithm>
#include <filesystem>
#include <stdexcept>

namespace open311 {
namespace {

using store::copy::Tables;

/// Migrates the database to this program's schema (creating a SQLite file that is missing).
void migrate(const std::string& database) {
    Config config;
    config.db_path = database;
    config.db_pool_size = 1;
    make_store(config).reset();
}

std::unique_ptr<Tables> open_tables(const std::string& database) {
    if (store::is_postgres_url(database)) {
        return store::pg::open_postgres_tables(database);
    }
    return store::open_sqlite_tables(database);
}

/// Refuses a schema with a table the copy does not know (a migration newer than tables.cpp):
/// better no copy than one that leaves data behind without a word.
void check_known(Tables& tables, const std::string& database) {
    const auto& copied = store::copy::tables();
    const auto& skipped = store::copy::tables_not_copied();
    for (const auto& name : tables.table_names()) {
        const bool known =
            std::any_of(copied.begin(),
                        copied.end(),
                        [&](const store::copy::Table& t) { return name == t.name; }) ||
            std::find(skipped.begin(), skipped.end(), name) != skipped.end();
        if (!known) {
            throw std::runtime_error("table '" + name + "' of " +
                                     store::redacted_database(database) +
                                     " is unknown to the copy");
        }
    }
}

}  // namespace

CopyReport copy_database(const std::string& from,
                         const std::string& to,
                         const CopyOptions& options) {
    if (from == to) {
        throw std::runtime_error("the source and the target are the same database");
    }
    if (!store::is_postgres_url(from) && !std::filesystem::exists(from)) {
        // Opening it would create an empty database, and copy nothing without a word.
        throw std::runtime_error("no database file " + from);
    }
    migrate(from);
    migrate(to);
    auto source = open_tables(from);
    auto target = open_tables(to);
    check_known(*source, from);
    check_known(*target, to);
    const auto& tables = store::copy::tables();
    if (!options.replace) {
        for (const auto& table : tables) {
            if (target->has_rows(table)) {
                throw std::runtime_error("the target " + store::redacted_database(to) +
                                         " already holds data (table " + table.name +
                                         "); --replace empties it first");
            }
        }
    }
    CopyReport report;
    target->begin();
    if (options.replace) {
        target->clear();
    }
    for (const auto& table : tables) {
        std::int64_t rows = 0;
        source->read(table, [&](const store::copy::Row& row) {
            target->insert(table, row);
            ++rows;
        });
        target->finish(table);
        report.tables.push_back({table.name, rows});
    }
    target->commit();
    return report;
}

}  // namespace open311
