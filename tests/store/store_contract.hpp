#pragma once

// The backend-neutral store contract: every suite in tests/store/ is typed over the backends
// listed in StoreBackends, and a backend is done when it passes them unchanged.
#include "store/postgres/pq.hpp"
#include "support/postgres_scratch.hpp"
#include "support/temp_dir.hpp"

#include "open311/config.hpp"
#include "open311/store/make_store.hpp"
#include "open311/store/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace open311::store_test {

/// A temporary directory removed with everything in it.
using ScratchDir = test::TempDir;

/// SQLite: a fresh file in a temporary directory, opened through make_store.
class SqliteBackend final {
public:
    static constexpr const char* kName = "sqlite";
    Config config() const {
        Config c;
        c.db_path = dir_.path() + "/store.db";
        c.db_synchronous = "normal";
        return c;
    }
    std::unique_ptr<Store> open() const { return make_store(config()); }
    /// A database setting that names no usable database (a PostgreSQL one carries a password,
    /// which the error must not show).
    Config unusable() const {
        Config c = config();
        c.db_path = dir_.path() + "/missing-dir/store.db";
        return c;
    }
    /// The database as a later version of the program leaves it: a newer schema recorded.
    void record_future_schema() const {
        make_store(config()).reset();
        sqlite3* db = nullptr;
        sqlite3_open(config().db_path.c_str(), &db);
        sqlite3_exec(db,
                     "INSERT INTO schema_migrations (version, name, applied_at) "
                     "VALUES (9999, '9999_future.sql', 0)",
                     nullptr,
                     nullptr,
                     nullptr);
        sqlite3_close(db);
    }

private:
    ScratchDir dir_;
};

/// PostgreSQL: a fresh schema per test in the cluster scripts/with-postgres.sh starts, reached
/// through the URI's search_path, so tests stay independent and run in parallel. Without that
/// cluster the tests fail: leave them out explicitly with `ctest -LE postgres`.
class PostgresBackend final {
public:
    static constexpr const char* kName = "postgres";

    Config config() const {
        Config c;
        c.db_path = schema_.url();
        c.db_pool_size = 4;
        return c;
    }
    std::unique_ptr<Store> open() const { return make_store(config()); }
    Config unusable() const {
        Config c = config();
        // Port 1 on loopback: refused at once.
        c.db_path = "postgresql://open311:s3cret@127.0.0.1:1/open311?connect_timeout=5";
        return c;
    }
    /// The schema of this test, also the application_name of its connections.
    const std::string& schema() const { return schema_.name(); }
    void record_future_schema() const {
        make_store(config()).reset();
        store::pg::Connection c(config().db_path);
        c.exec(
            "INSERT INTO schema_migrations (version, name, applied_at) "
            "VALUES (9999, '9999_future.sql', 0)");
    }

private:
    test::PostgresSchema schema_;
};

using StoreBackends = ::testing::Types<SqliteBackend, PostgresBackend>;

struct BackendNames {
    template <typename Backend>
    static std::string GetName(int /*index*/) {
        return Backend::kName;
    }
};

/// One store per test, with a two-service catalogue ("A1" active, "B2" inactive).
template <typename Backend>
class StoreContract : public ::testing::Test {
protected:
    StoreContract() : store_(backend_.open()) {
        Service a;
        a.code = "A1";
        a.translations["en"] = ServiceTranslation{"Potholes", "", "", ""};
        Service b;
        b.code = "B2";
        b.active = false;
        store_->upsert_services({a, b});
    }

    Store& store() { return *store_; }

    static constexpr Timestamp kT0 = 1'800'000'000;

    /// A pending request of A1 at `kT0 + offset`, with a submitter and a map point.
    static ServiceRequest request(const std::string& id, Timestamp offset = 0) {
        ServiceRequest r;
        r.id = id;
        r.service_code = "A1";
        r.description = "Hole in the road " + id;
        r.requested_at = kT0 + offset;
        r.updated_at = kT0 + offset;
        r.lat = 60.17;
        r.lon = 24.94;
        r.api_key_name = "client";
        r.submitter.email = id + "@example.org";
        r.submitter.first_name = "Ann";
        r.attributes = {AttributeAnswer{"colour", {"red"}}};
        return r;
    }

    static AuditEntry audit(const std::string& action,
                            const std::string& request_id = "",
                            const std::string& subject = "",
                            Timestamp at = kT0) {
        return AuditEntry{0, at, "tester", action, request_id, subject, R"({"k":1})"};
    }

    static Notification message(const std::string& recipient, Timestamp due = kT0) {
        Notification n;
        n.kind = "request.processed";
        n.recipient = recipient;
        n.subject = "Processed";
        n.body = "Thanks";
        n.created_at = due;
        n.next_attempt_at = due;
        return n;
    }

    /// The current record of `id` with `edit` applied, committed as a change with one audit
    /// line; returns the outcome.
    template <typename Edit>
    ChangeOutcome change(const std::string& id, Edit edit) {
        auto current = store_->find_request(id);
        if (!current) {
            return ChangeOutcome::not_found;
        }
        RequestChange c;
        c.request_id = id;
        c.expected_version = current->version;
        c.after = *current;
        edit(*c.after);
        c.audit.push_back(audit("request.edit", id));
        return store_->commit_request_change(c);
    }

    Backend backend_;
    std::unique_ptr<Store> store_;
};

}  // namespace open311::store_test
