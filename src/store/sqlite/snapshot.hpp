#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace open311::store {

/// Every row of every table of an SQLite database at one moment, and its triggers: what
/// SqliteStore::restore() puts back. Small data only (a sandbox's seed state): it is held in
/// memory.
struct Snapshot {
    /// One SQLite value, of whichever storage class it had.
    struct Value {
        int type = 0;  ///< SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT, SQLITE_BLOB or SQLITE_NULL
        std::int64_t integer = 0;
        double real = 0;
        std::string bytes;  ///< text or blob
    };
    struct Table {
        std::string name;
        std::vector<std::string> columns;  ///< stored columns only (no generated ones)
        std::vector<std::vector<Value>> rows;
    };
    struct Trigger {
        std::string name;
        std::string sql;
    };

    std::vector<Table> tables;
    std::vector<Trigger> triggers;
};

}  // namespace open311::store
