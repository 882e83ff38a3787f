// The audit trail across everything over real HTTP: filters, newest-first paging, roles.
#include "support/server_fixture.hpp"
#include "support/staff_api.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace open311::test {
namespace {

nlohmann::json audit(const TestServer& server,
                     const std::string& query,
                     const std::string& key = "") {
    auto r =
        staff_call(server, "GET", "/admin/v1/audit" + query, key.empty() ? server.staff_key : key);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
}

std::vector<std::string> actions(const nlohmann::json& page) {
    std::vector<std::string> out;
    for (const auto& line : page["audit"]) {
        out.push_back(line.value("action", ""));
    }
    return out;
}

/// A request published, a service deactivated and a key created, in that order.
std::string make_history(TestServer& server) {
    auto id = server.submit_published();
    EXPECT_EQ(staff_call(server, "DELETE", "/admin/v1/services/246", server.admin_key).status, 200);
    EXPECT_EQ(staff_call(server,
                         "POST",
                         "/admin/v1/keys",
                         server.admin_key,
                         R"({"name": "kiosk", "role": "client"})")
                  .status,
              201);
    return id;
}

TEST(AdminAudit, StaffAndAdminReadIt) {
    TestServer server;
    auto none = staff_call(server, "GET", "/admin/v1/audit", "");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.header("www-authenticate"), "Bearer");
    EXPECT_TRUE(
        has(error_text(staff_call(server, "GET", "/admin/v1/audit", server.client_key), 403),
            "client role"));
    EXPECT_EQ(staff_call(server, "GET", "/admin/v1/audit", server.staff_key).status, 200);
    EXPECT_EQ(staff_call(server, "GET", "/admin/v1/audit", server.admin_key).status, 200);
}

TEST(AdminAudit, NewestFirstAcrossEverything) {
    TestServer server;
    const auto id = make_history(server);
    auto page = audit(server, "");
    EXPECT_EQ(actions(page),
              (std::vector<std::string>{"key.create", "service.deactivate", "request.publish"}));
    EXPECT_TRUE(page["next_before"].is_null());
    const auto& publish = page["audit"][2];
    EXPECT_EQ(publish["request_id"], id);
    EXPECT_EQ(publish["actor"], "test-staff");
    EXPECT_GT(page["audit"][0]["seq"].get<std::int64_t>(), publish["seq"].get<std::int64_t>());
}

TEST(AdminAudit, Filters) {
    TestServer server;
    const auto id = make_history(server);
    EXPECT_EQ(actions(audit(server, "?request_id=" + id)),
              (std::vector<std::string>{"request.publish"}));
    EXPECT_EQ(actions(audit(server, "?actor=test-admin")),
              (std::vector<std::string>{"key.create", "service.deactivate"}));
    EXPECT_EQ(actions(audit(server, "?action=service.deactivate")),
              (std::vector<std::string>{"service.deactivate"}));
    EXPECT_EQ(actions(audit(server, "?action=request.")),
              (std::vector<std::string>{"request.publish"}));
    // A prefix needs its final dot: "request" alone matches no action exactly.
    EXPECT_TRUE(audit(server, "?action=request")["audit"].empty());
    EXPECT_TRUE(audit(server, "?actor=nobody")["audit"].empty());
    EXPECT_EQ(audit(server, "?since=2000-01-01T00:00:00Z")["audit"].size(), 3U);
    EXPECT_TRUE(audit(server, "?since=2999-01-01T00:00:00%2B02:00")["audit"].empty());
}

TEST(AdminAudit, PagesWithACursor) {
    TestServer server;
    make_history(server);
    std::vector<std::string> seen;
    std::string query = "?limit=2";
    for (int pages = 0; pages < 5; ++pages) {
        auto page = audit(server, query);
        EXPECT_LE(page["audit"].size(), 2U);
        for (const auto& a : actions(page)) {
            seen.push_back(a);
        }
        if (page["next_before"].is_null()) {
            break;
        }
        query = "?limit=2&before=" + std::to_string(page["next_before"].get<std::int64_t>());
    }
    EXPECT_EQ(seen,
              (std::vector<std::string>{"key.create", "service.deactivate", "request.publish"}));
}

TEST(AdminAudit, BadParametersAreNamed) {
    TestServer server;
    auto text = error_text(
        staff_call(
            server, "GET", "/admin/v1/audit?limit=0&since=yesterday&before=x", server.staff_key),
        400);
    EXPECT_TRUE(has(text, "limit:")) << text;
    EXPECT_TRUE(has(text, "since:")) << text;
    EXPECT_TRUE(has(text, "before:")) << text;
    EXPECT_TRUE(has(
        error_text(staff_call(server, "GET", "/admin/v1/audit?limit=1001", server.staff_key), 400),
        "limit:"));
}

}  // namespace
}  // namespace open311::test
