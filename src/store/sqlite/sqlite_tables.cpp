// One end of `open311d copy` on a SQLite file: reads tables in one read transaction, writes
// them in one write transaction, and fills each request's map grid cell (requests.cell).
#include "store/sqlite/sqlite_tables.hpp"

#include "store/copy/sql.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/request_query.hpp"

#include <optional>

namespace open311::store {
namespace {

using copy::Kind;
// An alias, not `using copy::Row`: in a unity build that would hide another Row (pq.hpp)
// from the files compiled after this one.
using CopyRow = copy::Row;
using copy::Table;
using copy::Value;

class SqliteTables final : public copy::Tables {
public:
    explicit SqliteTables(const std::string& path) : db_(path, Database::Options{"full", false}) {}

    std::vector<std::string> table_names() override {
        auto names = db_.all("SELECT name FROM sqlite_master WHERE type = 'table'", read_text);
        // SQLite's own tables are no data of ours.
        std::erase_if(names, [](const std::string& n) { return n.rfind("sqlite_", 0) == 0; });
        return names;
    }

    bool has_rows(const Table& table) override {
        return db_.first("SELECT EXISTS (SELECT 1 FROM \"" + std::string(table.name) + "\")",
                         read_int64)
                   .value_or(0) != 0;
    }

    void read(const Table& table, const std::function<void(const CopyRow&)>& visit) override {
        if (!reading_) {
            db_.exec("BEGIN");  // one snapshot for every table
            reading_ = true;
        }
        const std::string sql = "SELECT " + copy::column_list(table) + " FROM \"" + table.name +
                                "\"" + (table.identity ? " ORDER BY seq" : "");
        CopyRow row(table.columns.size());
        Statement statement(db_.handle(), sql);
        while (statement.step()) {
            for (std::size_t i = 0; i < table.columns.size(); ++i) {
                const int c = static_cast<int>(i);
                if (statement.is_null(c)) {
                    row[i] = std::monostate{};
                } else if (table.columns[i].kind == Kind::text) {
                    row[i] = statement.text(c);
                } else if (table.columns[i].kind == Kind::real) {
                    row[i] = statement.real(c);
                } else {
                    row[i] = statement.int64(c);
                }
            }
            visit(row);
        }
    }

    void begin() override { transaction_.emplace(db_); }

    void clear() override {
        // The audit trail refuses deletes (a trigger): lifted for this transaction only, and put
        // back as it was defined.
        const auto trigger = db_.first(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = "
            "'audit_log_no_delete'",
            read_text);
        if (trigger) {
            db_.exec("DROP TRIGGER audit_log_no_delete");
        }
        db_.exec("DELETE FROM staff_sessions; DELETE FROM login_failures");
        const auto& all = copy::tables();
        for (auto it = all.rbegin(); it != all.rend(); ++it) {
            db_.exec("DELETE FROM \"" + std::string(it->name) + "\"");
        }
        if (trigger) {
            db_.exec(*trigger);
        }
    }

    void insert(const Table& table, const CopyRow& row) override {
        auto& statement = db_.cached(insert_sql(table));
        StatementScope scope(statement);
        for (std::size_t i = 0; i < row.size(); ++i) {
            const int index = static_cast<int>(i) + 1;
            std::visit(
                [&](const auto& v) {
                    using V = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<V, std::monostate>) {
                        statement.bind_null(index);
                    } else {
                        statement.bind(index, v);
                    }
                },
                row[i]);
        }
        if (is_requests(table)) {
            statement.bind(static_cast<int>(row.size()) + 1, cell_of(table, row));
        }
        statement.run();
    }

    void finish(const Table& /*table*/) override {}

    void commit() override {
        // Servers on this file reload their catalogue when its revision moves.
        db_.exec("UPDATE catalogue_revision SET revision = revision + 1");
        transaction_->commit();
        transaction_.reset();
    }

private:
    static bool is_requests(const Table& table) {
        return std::string_view(table.name) == "requests";
    }

    /// A request also gets its map grid cell, which is no column of the copy (it is SQLite's
    /// index only): the last placeholder.
    static std::string insert_sql(const Table& table) {
        std::string marks;
        for (std::size_t i = 0; i < table.columns.size(); ++i) {
            marks += i == 0 ? "?" : ", ?";
        }
        const bool cell = is_requests(table);
        return "INSERT INTO \"" + std::string(table.name) + "\" (" + copy::column_list(table) +
               (cell ? ", cell" : "") + ") VALUES (" + marks + (cell ? ", ?" : "") + ")";
    }

    /// The request's map grid cell, as insert_request writes it.
    static std::optional<std::int64_t> cell_of(const Table& table, const CopyRow& row) {
        const auto& lat = row[copy::column_index(table, "lat")];
        const auto& lon = row[copy::column_index(table, "long")];
        if (!std::holds_alternative<double>(lat) || !std::holds_alternative<double>(lon)) {
            return std::nullopt;
        }
        return map_cell(std::get<double>(lat), std::get<double>(lon));
    }

    Database db_;
    bool reading_ = false;
    std::optional<Transaction> transaction_;
};

}  // namespace

std::unique_ptr<copy::Tables> open_sqlite_tables(const std::string& path) {
    return std::make_unique<SqliteTables>(path);
}

}  // namespace open311::store
