// One end of `open311d copy` on PostgreSQL: reads a table as a stream of rows (libpq's
// single-row mode, so a million requests never sit in memory at once) inside one snapshot, and
// writes in one transaction, many rows per INSERT, keeping the source's sequence numbers.
#include "store/postgres/postgres_tables.hpp"

#include "store/copy/sql.hpp"
#include "store/postgres/pq.hpp"

#include <charconv>
#include <optional>

namespace open311::store::pg {
namespace {

using copy::Kind;
// An alias, not `using copy::Row`: in a unity build that would hide another Row (pq.hpp)
// from the files compiled after this one.
using CopyRow = copy::Row;
using copy::Table;
using copy::Value;

/// Rows per INSERT statement: few round trips, well below the 65,535 parameters allowed.
constexpr std::size_t kRowsPerInsert = 200;

/// Throws the StoreError of a failed result (and frees it).
void fail(PGconn* conn, PGresult* result) {
    const char* state = result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_SQLSTATE);
    const char* primary =
        result == nullptr ? nullptr : PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY);
    std::string message =
        "PostgreSQL: " + std::string(primary != nullptr ? primary : PQerrorMessage(conn));
    const StoreErrc code = PQstatus(conn) != CONNECTION_OK ? StoreErrc::unavailable
                           : state != nullptr              ? store_errc(state)
                                                           : StoreErrc::internal;
    PQclear(result);
    throw StoreError(code, message);
}

template <typename Number>
Number parse(const char* text, int length) {
    Number out{};
    std::from_chars(text, text + length, out);
    return out;
}

class PostgresTables final : public copy::Tables {
public:
    explicit PostgresTables(const std::string& url) : c_(url) {}

    std::vector<std::string> table_names() override {
        return c_.all(
            "SELECT table_name::text FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            read_text);
    }

    bool has_rows(const Table& table) override {
        return c_.first("SELECT EXISTS (SELECT 1 FROM \"" + std::string(table.name) + "\")::int",
                        read_int64)
                   .value_or(0) != 0;
    }

    void read(const Table& table, const std::function<void(const CopyRow&)>& visit) override {
        if (!reading_) {
            c_.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");  // one snapshot
            reading_ = true;
        }
        std::string sql = "SELECT ";
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const auto& column = table.columns[i];
            sql += (i == 0 ? "\"" : ", \"") + std::string(column.name) + "\"" +
                   (column.kind == Kind::boolean ? "::int" : "");
        }
        sql +=
            " FROM \"" + std::string(table.name) + "\"" + (table.identity ? " ORDER BY seq" : "");
        PGconn* conn = c_.handle();
        if (PQsendQuery(conn, sql.c_str()) == 0 || PQsetSingleRowMode(conn) == 0) {
            fail(conn, nullptr);
        }
        CopyRow row(table.columns.size());
        std::optional<StoreError> failure;
        while (PGresult* result = PQgetResult(conn)) {
            const auto status = PQresultStatus(result);
            if (status == PGRES_SINGLE_TUPLE && !failure) {
                try {
                    to_row(table, result, row);
                    visit(row);
                } catch (const StoreError& e) {
                    failure = e;  // the rest of the stream is read, then dropped
                }
            } else if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && !failure) {
                try {
                    fail(conn, result);
                } catch (const StoreError& e) {
                    failure = e;
                }
                continue;  // freed by fail()
            }
            PQclear(result);
        }
        if (failure) {
            throw *failure;
        }
    }

    void begin() override { c_.exec("BEGIN"); }

    void clear() override {
        // TRUNCATE fires no row triggers: the audit trail's refusal of deletes stays in place.
        std::string list = "staff_sessions, login_failures";
        for (const auto& table : copy::tables()) {
            list += ", \"" + std::string(table.name) + "\"";
        }
        c_.exec("TRUNCATE " + list + " RESTART IDENTITY");
    }

    void insert(const Table& table, const CopyRow& row) override {
        pending_.push_back(row);
        if (pending_.size() >= kRowsPerInsert) {
            flush(table);
        }
    }

    void finish(const Table& table) override {
        flush(table);
        if (table.identity) {
            // The next number after the copied ones (1 when none were copied).
            const std::string name = table.name;
            c_.exec("SELECT setval(pg_get_serial_sequence('\"" + name + "\"', 'seq'), " +
                    "COALESCE((SELECT max(seq) FROM \"" + name + "\"), 1), " +
                    "(SELECT max(seq) IS NOT NULL FROM \"" + name + "\"))");
        }
    }

    void commit() override {
        // Servers on this database drop their caches and reload the catalogue (postgres_store.cpp:
        // the channel and the bits of what changed).
        c_.exec("UPDATE catalogue_revision SET revision = revision + 1");
        c_.exec("SELECT pg_notify('open311d_' || md5(COALESCE(current_schema(), '')), '3')");
        c_.exec("COMMIT");
    }

private:
    static void to_row(const Table& table, const PGresult* result, CopyRow& row) {
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            const int c = static_cast<int>(i);
            if (PQgetisnull(result, 0, c) != 0) {
                row[i] = std::monostate{};
                continue;
            }
            const char* text = PQgetvalue(result, 0, c);
            const int length = PQgetlength(result, 0, c);
            switch (table.columns[i].kind) {
                case Kind::text:
                    row[i] = std::string(text, static_cast<std::size_t>(length));
                    break;
                case Kind::real:
                    row[i] = parse<double>(text, length);
                    break;
                case Kind::integer:
                case Kind::boolean:
                    row[i] = parse<std::int64_t>(text, length);
                    break;
            }
        }
    }

    void flush(const Table& table) {
        if (pending_.empty()) {
            return;
        }
        std::string sql = "INSERT INTO \"" + std::string(table.name) + "\" (" +
                          copy::column_list(table) + ")" +
                          (table.identity ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ";
        Params params;
        for (std::size_t r = 0; r < pending_.size(); ++r) {
            sql += r == 0 ? "(" : ", (";
            for (std::size_t i = 0; i < table.columns.size(); ++i) {
                const auto& value = pending_[r][i];
                std::string mark;
                if (std::holds_alternative<std::monostate>(value)) {
                    mark = params.placeholder(std::nullopt);
                } else if (const auto* n = std::get_if<std::int64_t>(&value)) {
                    mark = params.placeholder(*n);
                } else if (const auto* d = std::get_if<double>(&value)) {
                    mark = params.placeholder(*d);
                } else {
                    mark = params.placeholder(std::get<std::string>(value));
                }
                sql += (i == 0 ? "" : ", ") + mark;
            }
            sql += ")";
        }
        c_.query(sql, params);
        pending_.clear();
    }

    Connection c_;
    bool reading_ = false;
    std::vector<CopyRow> pending_;
};

}  // namespace

std::unique_ptr<copy::Tables> open_postgres_tables(const std::string& url) {
    return std::make_unique<PostgresTables>(url);
}

}  // namespace open311::store::pg
