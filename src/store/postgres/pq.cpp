#include "store/postgres/pq.hpp"

#include <charconv>
#include <cstdlib>

namespace open311::store::pg {
namespace {

/// Statements prepared per connection at most; the request lists have many filter
/// combinations, and the rarest run unprepared rather than grow the cache without end.
constexpr std::size_t kMaxPrepared = 256;

/// libpq's message for the connection on one line (it may span several, with hints).
std::string connection_message(const PGconn* conn) {
    std::string message = conn == nullptr ? "out of memory" : PQerrorMessage(conn);
    std::string out;
    for (char ch : message) {
        if (ch == '\n') {
            out += "; ";
        } else if (ch != '\t') {
            out += ch;
        }
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == ';')) {
        out.pop_back();
    }
    return out;
}

}  // namespace

StoreErrc store_errc(std::string_view sqlstate) {
    if (sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "55P03") {
        return StoreErrc::conflict;  // serialization failure, deadlock, lock not available
    }
    const auto cls = sqlstate.substr(0, 2);
    if (cls == "23" || cls == "22") {
        // integrity constraint violation; data exception (text that is not UTF-8, a number out
        // of range): the same write can never succeed
        return StoreErrc::constraint;
    }
    if (cls == "08" || cls == "53" || cls == "28" || cls == "3D" || sqlstate == "57P01" ||
        sqlstate == "57P02" || sqlstate == "57P03" || sqlstate == "25006") {
        // connection exception, insufficient resources (disk full, too many connections),
        // authentication, unknown database, server shutting down, read-only transaction
        return StoreErrc::unavailable;
    }
    if (sqlstate == "XX001" || sqlstate == "XX002") {
        return StoreErrc::corrupt;  // data corrupted, index corrupted
    }
    return StoreErrc::internal;
}

Params& Params::add(std::int64_t number) {
    char buffer[24];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
    values_.emplace_back(std::string(buffer, end));
    return *this;
}

Params& Params::add(double number) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, number);
    values_.emplace_back(std::string(buffer, end));
    return *this;
}

std::vector<const char*> Params::pointers() const {
    std::vector<const char*> out;
    out.reserve(values_.size());
    for (const auto& v : values_) {
        out.push_back(v ? v->c_str() : nullptr);
    }
    return out;
}

std::string Row::text(int column) const {
    return {PQgetvalue(result_, row_, column),
            static_cast<std::size_t>(PQgetlength(result_, row_, column))};
}

std::int64_t Row::int64(int column) const {
    const char* value = PQgetvalue(result_, row_, column);
    std::int64_t out = 0;
    std::from_chars(value, value + PQgetlength(result_, row_, column), out);
    return out;
}

double Row::real(int column) const {
    const char* value = PQgetvalue(result_, row_, column);
    double out = 0;
    std::from_chars(value, value + PQgetlength(result_, row_, column), out);
    return out;
}

bool Row::boolean(int column) const {
    return PQgetvalue(result_, row_, column)[0] == 't';
}

std::optional<std::int64_t> Row::optional_int64(int column) const {
    return is_null(column) ? std::nullopt : std::optional(int64(column));
}

std::optional<double> Row::optional_real(int column) const {
    return is_null(column) ? std::nullopt : std::optional(real(column));
}

std::int64_t Result::affected() const {
    const char* tuples = PQcmdTuples(result_.get());
    std::int64_t out = 0;
    std::from_chars(tuples, tuples + std::char_traits<char>::length(tuples), out);
    return out;
}

namespace {

// Defaults the URI may override (it comes last, expanded): a connection attempt to a host that
// does not answer gives up after 10 s instead of the system's minutes, and a peer that vanished
// without a word (a failed-over host, a dropped route) is noticed within a minute by TCP
// keepalives rather than after hours.
constexpr const char* kConnectKeys[] = {"connect_timeout",
                                        "keepalives_idle",
                                        "keepalives_interval",
                                        "keepalives_count",
                                        "dbname",
                                        nullptr};

void silence_notices(PGconn* conn) {
    // Only warnings and errors reach the client: no NOTICE chatter on stderr.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
}

}  // namespace

PGconn* start_connecting(const std::string& conninfo) {
    const char* const values[] = {"10", "30", "10", "3", conninfo.c_str(), nullptr};
    PGconn* conn = PQconnectStartParams(kConnectKeys, values, 1);
    if (conn != nullptr) {
        silence_notices(conn);
    }
    return conn;
}

Connection::Connection(const std::string& conninfo) {
    const char* const values[] = {"10", "30", "10", "3", conninfo.c_str(), nullptr};
    conn_ = PQconnectdbParams(kConnectKeys, values, 1);
    if (conn_ == nullptr || PQstatus(conn_) != CONNECTION_OK) {
        std::string message = "cannot connect to PostgreSQL: " + connection_message(conn_);
        PQfinish(conn_);
        conn_ = nullptr;
        throw StoreError(StoreErrc::unavailable, message);
    }
    silence_notices(conn_);
}

Connection::~Connection() {
    PQfinish(conn_);
}

bool Connection::healthy() const {
    return PQstatus(conn_) == CONNECTION_OK;
}

bool Connection::in_transaction() const {
    return PQtransactionStatus(conn_) != PQTRANS_IDLE;
}

StoreError failure(const PGconn* conn, const PGresult* raw, std::string_view what) {
    const char* sqlstate = raw == nullptr ? nullptr : PQresultErrorField(raw, PG_DIAG_SQLSTATE);
    StoreErrc code = StoreErrc::internal;
    if (PQstatus(conn) != CONNECTION_OK) {
        code = StoreErrc::unavailable;  // the connection was lost
    } else if (sqlstate != nullptr) {
        code = store_errc(sqlstate);
    }
    const char* primary =
        raw == nullptr ? nullptr : PQresultErrorField(raw, PG_DIAG_MESSAGE_PRIMARY);
    std::string message = std::string(what) + ": " +
                          (primary != nullptr ? std::string(primary) : connection_message(conn));
    if (sqlstate != nullptr) {
        message += " (SQLSTATE " + std::string(sqlstate) + ")";
    }
    return StoreError(code, message);
}

Result Connection::check(PGresult* raw, std::string_view what) {
    Result result(raw);
    const auto status = raw == nullptr ? PGRES_FATAL_ERROR : PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) {
        return result;
    }
    throw failure(conn_, raw, what);
}

void Connection::exec(const std::string& sql) {
    check(PQexec(conn_, sql.c_str()), "PostgreSQL");
}

Result Connection::query(std::string_view sql, const Params& params) {
    const auto values = params.pointers();
    const int count = static_cast<int>(values.size());
    auto found = prepared_.find(std::string(sql));
    if (found == prepared_.end() && prepared_.size() < kMaxPrepared) {
        std::string name = "s" + std::to_string(prepared_.size() + 1);
        check(PQprepare(conn_, name.c_str(), std::string(sql).c_str(), 0, nullptr),
              "PostgreSQL prepare");
        found = prepared_.emplace(std::string(sql), std::move(name)).first;
    }
    if (found == prepared_.end()) {
        return check(PQexecParams(conn_,
                                  std::string(sql).c_str(),
                                  count,
                                  nullptr,
                                  values.data(),
                                  nullptr,
                                  nullptr,
                                  0),
                     "PostgreSQL");
    }
    return check(
        PQexecPrepared(conn_, found->second.c_str(), count, values.data(), nullptr, nullptr, 0),
        "PostgreSQL");
}

Transaction::Transaction(Connection& c, std::string_view begin) : c_(c) {
    c_.exec(std::string(begin));
}

Transaction::~Transaction() {
    if (!done_ && c_.healthy()) {
        try {
            c_.exec("ROLLBACK");
        } catch (const StoreError&) {
            // The connection is in no state to be reused; the pool drops it.
        }
    }
}

void Transaction::commit() {
    done_ = true;
    c_.exec("COMMIT");
}

}  // namespace open311::store::pg
