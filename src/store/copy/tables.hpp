#pragma once

// What `copy_database` moves, written once for every backend: the tables in an order that
// satisfies their foreign keys, their columns with the kind of each, and the two ends of a
// copy (a backend reads rows of a table, or writes them inside one transaction).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace open311::store::copy {

/// How a column's values travel: booleans as 0/1 integers (SQLite's INTEGER, PostgreSQL's
/// BOOLEAN), reals as doubles so that coordinates keep every bit.
enum class Kind { text, integer, real, boolean };

struct Column {
    const char* name;
    Kind kind;
};

struct Table {
    const char* name;
    std::vector<Column> columns;
    /// PostgreSQL numbers this table's `seq` itself (GENERATED ALWAYS AS IDENTITY): the copy
    /// keeps the source's numbers and moves the sequence past them.
    bool identity = false;
};

/// Every table copied, parents before children.
const std::vector<Table>& tables();
/// Tables left out on purpose: filled by the migrations (reference data, the catalogue's
/// revision), derived (SQLite's map index), or short-lived (sessions, failed sign-ins).
const std::vector<std::string>& tables_not_copied();

using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Row = std::vector<Value>;

/// One end of a copy.
class Tables {
public:
    virtual ~Tables() = default;
    /// Names of the tables of the schema (for the check that the copy knows every one).
    virtual std::vector<std::string> table_names() = 0;
    /// Whether `table` holds a row.
    virtual bool has_rows(const Table& table) = 0;
    /// Calls `row` with each row of `table`, in a stable order, values in column order.
    virtual void read(const Table& table, const std::function<void(const Row&)>& row) = 0;

    /// Starts the one transaction every write below belongs to.
    virtual void begin() = 0;
    /// Empties every table of `tables()` (children first).
    virtual void clear() = 0;
    /// Adds `row` to `table`.
    virtual void insert(const Table& table, const Row& row) = 0;
    /// Ends the inserts of `table` (buffered rows written, sequences moved past the copy).
    virtual void finish(const Table& table) = 0;
    /// Commits; afterwards servers on this database reload what they cache.
    virtual void commit() = 0;
};

}  // namespace open311::store::copy
