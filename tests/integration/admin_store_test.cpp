// The store side of the staff catalogue and key changes, on a real SQLite file: a change and
// its audit line commit together or not at all, and the catalogue cache sees changes at once.
#include "store/sqlite/sqlite_store.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <string>

namespace open311::test {
namespace {

Service bench_service() {
    Service s;
    s.code = "2806.20";
    s.translations["en"] = ServiceTranslation{"Benches", "", "", ""};
    return s;
}

AuditEntry line(const std::string& action, const std::string& subject) {
    return AuditEntry{0, now(), "test-admin", action, "", subject, R"({"before":null})"};
}

AuditFilter by_action(const std::string& action) {
    AuditFilter f;
    f.action = action;
    return f;
}

TEST(AdminStore, ServiceChangesCommitWithTheirAuditLine) {
    TempDir dir;
    store::SqliteStore store(dir.path() + "/s.db", "NORMAL");
    ASSERT_TRUE(store.catalogue_snapshot()->empty());

    EXPECT_EQ(store.create_service(bench_service(), line("service.create", "2806.20")),
              SaveOutcome::applied);
    ASSERT_EQ(store.catalogue_snapshot()->size(), 1U);
    EXPECT_EQ(store.search_audit(by_action("service.create")).size(), 1U);

    EXPECT_EQ(store.create_service(bench_service(), line("service.create", "2806.20")),
              SaveOutcome::exists);
    auto unknown = bench_service();
    unknown.code = "9";
    EXPECT_EQ(store.update_service(unknown, line("service.update", "9")), SaveOutcome::not_found);
    EXPECT_EQ(store.search_audit(by_action("service.")).size(), 1U);
    EXPECT_FALSE(store.find_service("9"));

    auto inactive = bench_service();
    inactive.active = false;
    EXPECT_EQ(store.update_service(inactive, line("service.deactivate", "2806.20")),
              SaveOutcome::applied);
    EXPECT_FALSE(store.find_service("2806.20")->active);
    EXPECT_TRUE(store.list_services(false).empty());
    EXPECT_EQ(store.search_audit(by_action("service.")).size(), 2U);
}

TEST(AdminStore, KeyChangesCommitWithTheirAuditLine) {
    TempDir dir;
    store::SqliteStore store(dir.path() + "/s.db", "NORMAL");
    ApiKey key;
    key.name = "kiosk";
    key.prefix = "o311_abcd";
    key.created_at = now();
    EXPECT_TRUE(store.insert_key_audited(key, "hash-1", line("key.create", "kiosk")));
    EXPECT_FALSE(store.insert_key_audited(key, "hash-2", line("key.create", "kiosk")));
    EXPECT_EQ(store.search_audit(by_action("key.create")).size(), 1U);

    EXPECT_TRUE(store.revoke_key_audited("kiosk", now(), line("key.revoke", "kiosk")));
    EXPECT_FALSE(store.revoke_key_audited("kiosk", now(), line("key.revoke", "kiosk")));
    EXPECT_FALSE(store.revoke_key_audited("nobody", now(), line("key.revoke", "nobody")));
    EXPECT_EQ(store.search_audit(by_action("key.revoke")).size(), 1U);
    EXPECT_TRUE(store.find_key_by_hash("hash-1")->revoked_at);
}

TEST(AdminStore, AuditSearchIsNewestFirstWithACursor) {
    TempDir dir;
    store::SqliteStore store(dir.path() + "/s.db", "NORMAL");
    for (int i = 0; i < 5; ++i) {
        store.append_audit(line(i % 2 == 0 ? "service.update" : "key.create", std::to_string(i)));
    }
    AuditFilter f;
    f.limit = 2;
    auto page = store.search_audit(f);
    ASSERT_EQ(page.size(), 2U);
    EXPECT_EQ(page[0].subject, "4");
    EXPECT_EQ(page[1].subject, "3");
    f.before = store.audit_cursor(page[1]);
    page = store.search_audit(f);
    ASSERT_EQ(page.size(), 2U);
    EXPECT_EQ(page[0].subject, "2");
    f = by_action("service.update");
    f.actor = "test-admin";
    EXPECT_EQ(store.search_audit(f).size(), 3U);
    f.actor = "someone-else";
    EXPECT_TRUE(store.search_audit(f).empty());
    f = AuditFilter{};
    f.since = now() + 3600;
    EXPECT_TRUE(store.search_audit(f).empty());
}

}  // namespace
}  // namespace open311::test
