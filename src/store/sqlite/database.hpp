#pragma once

#include "open311/store/store_error.hpp"

#include <sqlite3.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace open311::store {

/// The one place SQLite's result codes become StoreErrc values (by primary code, so that every
/// extended code such as SQLITE_BUSY_SNAPSHOT follows its family).
StoreErrc store_errc(int sqlite_rc);

/// Throws StoreError with SQLite's message for `rc` unless it is OK/ROW/DONE.
void check(sqlite3* db, int rc, std::string_view what);

class Statement;

/// One SQLite connection. Opens the file and sets every PRAGMA in one place.
/// A connection is used by one thread at a time.
class Database final {
public:
    struct Options {
        std::string synchronous = "normal";  ///< normal | full
        bool read_only = false;
    };

    Database(const std::string& path, const Options& options);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /// Runs one or more statements without results (schema, PRAGMAs, BEGIN/COMMIT).
    void exec(const std::string& sql);
    /// A prepared statement for `sql`, prepared once per connection and reused.
    /// The statement is reset when the returned handle goes out of scope.
    Statement& cached(std::string_view sql);
    std::int64_t changes() const;

    // The statement helpers every query of the store goes through: `args` are bound to ?1, ?2,
    // … in order, and the cached statement is reset before they return.
    /// Runs a statement that returns no rows; returns the number of rows it changed.
    template <typename... Args>
    std::int64_t run(std::string_view sql, const Args&... args);
    /// `read` of the first row, or nullopt when there is none.
    template <typename Read, typename... Args>
    auto first(std::string_view sql, Read read, const Args&... args)
        -> std::optional<std::invoke_result_t<Read&, Statement&>>;
    /// Calls `visit` with each row.
    template <typename Visit, typename... Args>
    void each(std::string_view sql, Visit visit, const Args&... args);
    /// `read` of every row.
    template <typename Read, typename... Args>
    auto all(std::string_view sql, Read read, const Args&... args)
        -> std::vector<std::invoke_result_t<Read&, Statement&>>;

    /// Number of statements in the cache; callers with unbounded SQL variety check it.
    std::size_t cached_count() const { return cache_.size(); }
    sqlite3* handle() { return db_; }

private:
    sqlite3* db_ = nullptr;
    /// Lets the cache be searched with a string_view, without building a key string per use.
    struct SqlHash {
        using is_transparent = void;
        std::size_t operator()(std::string_view sql) const {
            return std::hash<std::string_view>{}(sql);
        }
    };
    std::unordered_map<std::string, std::unique_ptr<Statement>, SqlHash, std::equal_to<>> cache_;
};

/// A prepared statement: bind by 1-based index, step, read typed columns.
class Statement final {
public:
    Statement(sqlite3* db, std::string_view sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, int value) { return bind(index, static_cast<std::int64_t>(value)); }
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) {
        return bind(index, std::string_view(value));
    }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    Statement& bind_null(int index);
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind_null(index);
    }
    /// Binds `args` to ?1, ?2, … in order.
    template <typename... Args>
    Statement& bind_all(const Args&... args) {
        int index = 0;
        (bind(++index, args), ...);
        return *this;
    }

    /// Advances to the next row; false when done. Throws StoreError on failure.
    bool step();
    /// Runs a statement that returns no rows.
    void run();
    void reset();

    bool is_null(int column) const;
    std::int64_t int64(int column) const;
    double real(int column) const;
    std::string text(int column) const;
    std::optional<std::int64_t> optional_int64(int column) const;
    std::optional<double> optional_real(int column) const;

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

/// Resets a cached statement at scope exit so it releases its read snapshot.
class StatementScope final {
public:
    explicit StatementScope(Statement& s) : s_(s) {}
    ~StatementScope() { s_.reset(); }
    StatementScope(const StatementScope&) = delete;
    StatementScope& operator=(const StatementScope&) = delete;
    Statement* operator->() { return &s_; }
    Statement& operator*() { return s_; }

private:
    Statement& s_;
};

/// BEGIN IMMEDIATE … COMMIT; rolls back in the destructor unless committed.
class Transaction final {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool done_ = false;
};

/// Readers of a one-column row, for Database::first and Database::all.
inline std::string read_text(Statement& s) {
    return s.text(0);
}
inline std::int64_t read_int64(Statement& s) {
    return s.int64(0);
}

/// Text bound as NULL when empty: for optional columns with a UNIQUE index (tokens).
inline std::optional<std::string_view> null_if_empty(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string_view>(text);
}

template <typename... Args>
std::int64_t Database::run(std::string_view sql, const Args&... args) {
    StatementScope s(cached(sql));
    s->bind_all(args...).run();
    return changes();
}

template <typename Read, typename... Args>
auto Database::first(std::string_view sql, Read read, const Args&... args)
    -> std::optional<std::invoke_result_t<Read&, Statement&>> {
    StatementScope s(cached(sql));
    s->bind_all(args...);
    if (!s->step()) {
        return std::nullopt;
    }
    return read(*s);
}

template <typename Visit, typename... Args>
void Database::each(std::string_view sql, Visit visit, const Args&... args) {
    StatementScope s(cached(sql));
    s->bind_all(args...);
    while (s->step()) {
        visit(*s);
    }
}

template <typename Read, typename... Args>
auto Database::all(std::string_view sql, Read read, const Args&... args)
    -> std::vector<std::invoke_result_t<Read&, Statement&>> {
    std::vector<std::invoke_result_t<Read&, Statement&>> out;
    each(
        sql, [&](Statement& s) { out.push_back(read(s)); }, args...);
    return out;
}

}  // namespace open311::store
