// SqliteStore::snapshot() and restore(), the sandbox's reset: every table comes back as it
// was, the audit trail's append-only guard included, and the change feed moves.
#include "store/sqlite/snapshot.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace open311::store {
namespace {

ServiceRequest request(const std::string& id) {
    ServiceRequest r;
    r.id = id;
    r.service_code = "171";
    r.state = ModerationState::published;
    r.description = "Kuoppa";
    r.requested_at = 1'777'000'000;
    r.updated_at = r.requested_at;
    r.lat = 60.17;
    r.lon = 24.94;
    return r;
}

AuditEntry audit(const std::string& request_id) {
    AuditEntry a;
    a.at = 1'777'000'100;
    a.actor = "test";
    a.action = "request.edit";
    a.request_id = request_id;
    a.detail = "{}";
    return a;
}

TEST(StoreSnapshot, RestorePutsEveryTableBackAndKeepsTheAuditGuard) {
    test::TempDir dir;
    SqliteStore store(dir.path() + "/s.db", "normal");
    Service service;
    service.code = "171";
    service.translations["en"] = {"Street damage", "", "", ""};
    store.upsert_services({service});
    store.insert_request(request("a1"));
    store.append_audit(audit("a1"));
    const auto seed = store.snapshot();

    store.insert_request(request("b2"));
    store.append_audit(audit("b2"));
    Service more = service;
    more.code = "172";
    store.upsert_services({more});
    ASSERT_TRUE(store.find_request("b2"));
    const auto before = store.change_version();

    store.restore(*seed);

    EXPECT_TRUE(store.find_request("a1"));
    EXPECT_FALSE(store.find_request("b2"));
    EXPECT_EQ(store.list_request_audit("a1").size(), 1U);
    EXPECT_TRUE(store.list_request_audit("b2").empty());
    EXPECT_EQ(store.count_services(), 1);
    EXPECT_NE(store.change_version(), before);
    // Radius search reads the map cells: they were put back too.
    RequestFilter near;
    near.near = GeoCircle{60.17, 24.94, 100};
    EXPECT_EQ(store.search_requests(near).items.size(), 1U);
    // The append-only triggers are back.
    EXPECT_THROW(store.write([](Database& db) { db.exec("DELETE FROM audit_log"); }), StoreError);
    // And a second restore from the same snapshot works as well.
    store.insert_request(request("c3"));
    store.restore(*seed);
    EXPECT_FALSE(store.find_request("c3"));
}

}  // namespace
}  // namespace open311::store
