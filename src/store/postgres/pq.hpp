#pragma once

// A thin RAII layer over libpq: one connection, its results, statements with text parameters
// (prepared once per connection and reused), and transactions. Every failure is a StoreError
// with the StoreErrc that error.cpp maps the SQLSTATE to; no libpq type leaves src/store/postgres/.
#include "open311/store/store_error.hpp"

#include <cstdint>
#include <libpq-fe.h>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

namespace open311::store::pg {

/// The text parameters of one statement ($1, $2, … in order); nullopt is SQL NULL. Numbers are
/// written in the shortest form that reads back to the same value, so a double survives the trip.
class Params final {
public:
    Params& add(std::nullopt_t) {
        values_.emplace_back(std::nullopt);
        return *this;
    }
    Params& add(std::string_view text) {
        values_.emplace_back(std::string(text));
        return *this;
    }
    Params& add(const std::string& text) { return add(std::string_view(text)); }
    Params& add(const char* text) { return add(std::string_view(text)); }
    Params& add(std::int64_t number);
    Params& add(int number) { return add(static_cast<std::int64_t>(number)); }
    Params& add(double number);
    Params& add(bool flag) { return add(std::string_view(flag ? "true" : "false")); }
    template <typename T>
    Params& add(const std::optional<T>& value) {
        return value ? add(*value) : add(std::nullopt);
    }
    /// Adds `value` and returns its placeholder ("$3"), for SQL built from whitelisted pieces.
    template <typename T>
    std::string placeholder(const T& value) {
        add(value);
        return "$" + std::to_string(values_.size());
    }

    std::size_t size() const { return values_.size(); }
    /// Pointers for libpq, valid while this object lives and is not changed.
    std::vector<const char*> pointers() const;

private:
    std::vector<std::optional<std::string>> values_;
};

/// Builds the Params of `args`, in order.
template <typename... Args>
Params params_of(const Args&... args) {
    Params p;
    (p.add(args), ...);
    return p;
}

/// One row of a Result, read by column index.
class Row final {
public:
    Row(const PGresult* result, int row) : result_(result), row_(row) {}
    bool is_null(int column) const { return PQgetisnull(result_, row_, column) != 0; }
    std::string text(int column) const;    ///< "" for NULL
    std::int64_t int64(int column) const;  ///< 0 for NULL
    double real(int column) const;
    bool boolean(int column) const;  ///< a boolean column ('t'/'f')
    std::optional<std::int64_t> optional_int64(int column) const;
    std::optional<double> optional_real(int column) const;

private:
    const PGresult* result_;
    int row_;
};

/// A statement's result; owns the PGresult.
class Result final {
public:
    explicit Result(PGresult* result) : result_(result, &PQclear) {}
    int rows() const { return PQntuples(result_.get()); }
    Row row(int index) const { return {result_.get(), index}; }
    /// Rows an INSERT, UPDATE or DELETE changed.
    std::int64_t affected() const;

private:
    std::unique_ptr<PGresult, decltype(&PQclear)> result_;
};

/// One connection to the database, used by one thread at a time.
class Connection final {
public:
    /// Connects with a libpq connection string or URI; StoreErrc::unavailable when it cannot
    /// (the message never repeats the connection string, which may hold a password).
    explicit Connection(const std::string& conninfo);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /// Runs one or more statements without parameters (schema scripts, BEGIN, COMMIT).
    void exec(const std::string& sql);
    /// Runs one statement with `params`, prepared on this connection the first time it is seen
    /// (up to a bound; rarer statements run unprepared).
    Result query(std::string_view sql, const Params& params);

    template <typename... Args>
    std::int64_t run(std::string_view sql, const Args&... args) {
        return query(sql, params_of(args...)).affected();
    }
    template <typename Read, typename... Args>
    auto first(std::string_view sql, Read read, const Args&... args)
        -> std::optional<std::invoke_result_t<Read&, const Row&>> {
        const Result r = query(sql, params_of(args...));
        if (r.rows() == 0) {
            return std::nullopt;
        }
        return read(r.row(0));
    }
    template <typename Read>
    auto all_of(const Result& r, Read read)
        -> std::vector<std::invoke_result_t<Read&, const Row&>> {
        std::vector<std::invoke_result_t<Read&, const Row&>> out;
        out.reserve(static_cast<std::size_t>(r.rows()));
        for (int i = 0; i < r.rows(); ++i) {
            out.push_back(read(r.row(i)));
        }
        return out;
    }
    template <typename Read, typename... Args>
    auto all(std::string_view sql, Read read, const Args&... args)
        -> std::vector<std::invoke_result_t<Read&, const Row&>> {
        return all_of(query(sql, params_of(args...)), read);
    }

    /// False once the connection is lost: it is then dropped, not reused.
    bool healthy() const;
    /// True between BEGIN and COMMIT/ROLLBACK (or in a failed transaction).
    bool in_transaction() const;
    /// The server process serving this connection (to recognise this process's notifications).
    int backend_pid() const { return PQbackendPID(conn_); }
    PGconn* handle() { return conn_; }

private:
    Result check(PGresult* result, std::string_view what);

    PGconn* conn_ = nullptr;
    std::unordered_map<std::string, std::string> prepared_;  // SQL → statement name
};

/// BEGIN … COMMIT; rolled back by the destructor unless committed.
class Transaction final {
public:
    explicit Transaction(Connection& c, std::string_view begin = "BEGIN");
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Connection& c_;
    bool done_ = false;
};

/// Readers of one-column rows.
inline std::string read_text(const Row& r) {
    return r.text(0);
}
inline std::int64_t read_int64(const Row& r) {
    return r.int64(0);
}

/// Text passed as NULL when empty: for optional columns with a UNIQUE index (tokens).
inline std::optional<std::string_view> null_if_empty(const std::string& text) {
    return text.empty() ? std::nullopt : std::optional<std::string_view>(text);
}

/// The StoreError of a failed statement (`raw`, or null when there was no result): its
/// SQLSTATE's StoreErrc, or unavailable once the connection is lost. `what` starts the message.
StoreError failure(const PGconn* conn, const PGresult* raw, std::string_view what);

/// Starts connecting without waiting (PQconnectStartParams, with the same defaults as
/// Connection): the caller drives PQconnectPoll. Null when libpq is out of memory.
PGconn* start_connecting(const std::string& conninfo);

/// The StoreErrc of a SQLSTATE ("40001" → conflict, "23505" → constraint, "08006" →
/// unavailable, …).
StoreErrc store_errc(std::string_view sqlstate);

}  // namespace open311::store::pg
