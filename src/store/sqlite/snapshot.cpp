// SqliteStore::snapshot() and restore(): the sandbox's reset. Putting a few hundred rows back
// inside one write of the group commit takes milliseconds, keeps every connection (the pooled
// readers, the writer's cached statements) valid, and moves the change feed, so that list
// caches and ETags cannot serve an answer from before the reset.
#include "store/sqlite/snapshot.hpp"

#include "store/sqlite/sqlite_store.hpp"

#include <sqlite3.h>

namespace open311::store {
namespace {

/// A statement prepared for one use (the cached ones are for the store's fixed SQL).
class OneShot final {
public:
    OneShot(sqlite3* db, const std::string& sql) : db_(db) {
        check(db, sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr), "prepare");
    }
    ~OneShot() { sqlite3_finalize(stmt_); }
    OneShot(const OneShot&) = delete;
    OneShot& operator=(const OneShot&) = delete;

    bool step() {
        const int rc = sqlite3_step(stmt_);
        if (rc == SQLITE_ROW) {
            return true;
        }
        if (rc != SQLITE_DONE) {
            check(db_, rc, "step");
        }
        return false;
    }
    sqlite3_stmt* get() { return stmt_; }
    std::string text(int column) {
        const auto* data = sqlite3_column_text(stmt_, column);
        return data == nullptr
                   ? std::string()
                   : std::string(reinterpret_cast<const char*>(data),
                                 static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
    }

private:
    sqlite3* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

std::string sql_name(const std::string& name) {
    std::string out = "\"";
    for (char ch : name) {
        out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
    }
    return out + "\"";
}

Snapshot::Value read_value(sqlite3_stmt* stmt, int column) {
    Snapshot::Value v;
    v.type = sqlite3_column_type(stmt, column);
    if (v.type == SQLITE_INTEGER) {
        v.integer = sqlite3_column_int64(stmt, column);
    } else if (v.type == SQLITE_FLOAT) {
        v.real = sqlite3_column_double(stmt, column);
    } else if (v.type == SQLITE_TEXT || v.type == SQLITE_BLOB) {
        const void* data = v.type == SQLITE_TEXT
                               ? static_cast<const void*>(sqlite3_column_text(stmt, column))
                               : sqlite3_column_blob(stmt, column);
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, column));
        if (data != nullptr) {
            v.bytes.assign(static_cast<const char*>(data), size);
        }
    }
    return v;
}

void bind_value(sqlite3* db, sqlite3_stmt* stmt, int index, const Snapshot::Value& v) {
    int rc = SQLITE_OK;
    switch (v.type) {
        case SQLITE_INTEGER:
            rc = sqlite3_bind_int64(stmt, index, v.integer);
            break;
        case SQLITE_FLOAT:
            rc = sqlite3_bind_double(stmt, index, v.real);
            break;
        case SQLITE_TEXT:
            rc = sqlite3_bind_text64(stmt,
                                     index,
                                     v.bytes.data(),
                                     static_cast<sqlite3_uint64>(v.bytes.size()),
                                     SQLITE_STATIC,
                                     SQLITE_UTF8);
            break;
        case SQLITE_BLOB:
            rc = sqlite3_bind_blob64(stmt,
                                     index,
                                     v.bytes.data(),
                                     static_cast<sqlite3_uint64>(v.bytes.size()),
                                     SQLITE_STATIC);
            break;
        default:
            rc = sqlite3_bind_null(stmt, index);
    }
    check(db, rc, "bind");
}

Snapshot take(sqlite3* db) {
    Snapshot out;
    // Ordinary and virtual tables (a virtual table's shadow tables follow it); SQLite's internal
    // tables hold nothing of the data.
    OneShot tables(db,
                   "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type IN "
                   "('table', 'virtual') AND name NOT LIKE 'sqlite_%' ORDER BY name");
    while (tables.step()) {
        Snapshot::Table table;
        table.name = tables.text(0);
        OneShot columns(db,
                        "SELECT name FROM pragma_table_xinfo(" + sql_name(table.name) +
                            ") WHERE hidden = 0 ORDER BY cid");
        std::string list;
        while (columns.step()) {
            table.columns.push_back(columns.text(0));
            list += (list.empty() ? "" : ", ") + sql_name(table.columns.back());
        }
        OneShot rows(db, "SELECT " + list + " FROM " + sql_name(table.name));
        while (rows.step()) {
            std::vector<Snapshot::Value> row;
            row.reserve(table.columns.size());
            for (int c = 0; c < static_cast<int>(table.columns.size()); ++c) {
                row.push_back(read_value(rows.get(), c));
            }
            table.rows.push_back(std::move(row));
        }
        out.tables.push_back(std::move(table));
    }
    OneShot triggers(db, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger'");
    while (triggers.step()) {
        out.triggers.push_back({triggers.text(0), triggers.text(1)});
    }
    return out;
}

void put_back(Database& db, const Snapshot& snapshot) {
    sqlite3* handle = db.handle();
    // Foreign keys are checked at the commit, once every table holds its rows again; the
    // append-only guards of the audit trail step aside inside this one transaction.
    db.exec("PRAGMA defer_foreign_keys = ON");
    for (const auto& trigger : snapshot.triggers) {
        db.exec("DROP TRIGGER IF EXISTS " + sql_name(trigger.name));
    }
    for (const auto& table : snapshot.tables) {
        db.exec("DELETE FROM " + sql_name(table.name));
    }
    for (const auto& table : snapshot.tables) {
        if (table.rows.empty()) {
            continue;
        }
        std::string columns;
        std::string marks;
        for (const auto& name : table.columns) {
            columns += (columns.empty() ? "" : ", ") + sql_name(name);
            marks += marks.empty() ? "?" : ", ?";
        }
        OneShot insert(
            handle,
            "INSERT INTO " + sql_name(table.name) + " (" + columns + ") VALUES (" + marks + ")");
        for (const auto& row : table.rows) {
            sqlite3_reset(insert.get());
            for (std::size_t i = 0; i < row.size(); ++i) {
                bind_value(handle, insert.get(), static_cast<int>(i) + 1, row[i]);
            }
            insert.step();
        }
    }
    for (const auto& trigger : snapshot.triggers) {
        db.exec(trigger.sql);
    }
}

}  // namespace

std::shared_ptr<const Snapshot> SqliteStore::snapshot() {
    auto out = std::make_shared<Snapshot>();
    // On the writer: a consistent view, taken between two commits.
    write([&](Database& db) { *out = take(db.handle()); });
    return out;
}

void SqliteStore::restore(const Snapshot& snapshot) {
    write([&](Database& db) { put_back(db, snapshot); });
    catalogue_check_after_ = 0;  // the catalogue may have changed back: read it again
    notify(Topic::outbox);
}

}  // namespace open311::store
