#pragma once

// The backend-neutral store contract: every suite in tests/store/ is typed over the backends
// listed in StoreBackends, and a backend is done when it passes them unchanged.
#include "support/temp_dir.hpp"

#include "open311/config.hpp"
#include "open311/store/make_store.hpp"
#include "open311/store/store.hpp"

#include <gtest/gtest.h>

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

private:
    ScratchDir dir_;
};

using StoreBackends = ::testing::Types<SqliteBackend>;

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
