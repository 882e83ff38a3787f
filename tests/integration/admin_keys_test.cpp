// API keys over the staff API (admin role) over real HTTP: creation answers the secret once,
// lists never show it, revocation works at once, and every change leaves an audit line.
#include "format/datetime.hpp"
#include "support/server_fixture.hpp"
#include "support/staff_api.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace open311::test {
namespace {

Response create_key(const TestServer& server, const std::string& body) {
    return staff_call(server, "POST", "/admin/v1/keys", server.admin_key, body);
}

/// POSTs a valid request with `key`; returns the HTTP status.
int submit_with(const TestServer& server, const std::string& key) {
    return server.client()
        .post_form(server.base() + "/requests.json",
                   form({{"api_key", key},
                         {"service_code", "171"},
                         {"lat", "60.1699"},
                         {"long", "24.9384"},
                         {"description", "Kuoppa ajoradalla"}}))
        .status;
}

const nlohmann::json* listed(const nlohmann::json& keys, const std::string& name) {
    for (const auto& k : keys) {
        if (k.value("name", "") == name) {
            return &k;
        }
    }
    return nullptr;
}

TEST(AdminKeys, EveryEndpointNeedsAnAdminKey) {
    TestServer server;
    const std::vector<std::pair<std::string, std::string>> calls = {
        {"GET", "/admin/v1/keys"},
        {"POST", "/admin/v1/keys"},
        {"DELETE", "/admin/v1/keys/test-client"},
    };
    const std::string body = R"({"name": "x", "role": "admin"})";
    for (const auto& [method, target] : calls) {
        auto none = staff_call(server, method, target, "", body);
        EXPECT_EQ(none.status, 401) << method << " " << target;
        EXPECT_EQ(none.header("www-authenticate"), "Bearer");
        EXPECT_TRUE(
            has(error_text(staff_call(server, method, target, server.client_key, body), 403),
                "client role"));
        EXPECT_TRUE(has(error_text(staff_call(server, method, target, server.staff_key, body), 403),
                        "an admin key is required"));
    }
    EXPECT_EQ(server.store().list_keys().size(), 3U);
    EXPECT_EQ(submit_with(server, server.client_key), 200);
}

TEST(AdminKeys, CreatedKeyAnswersItsSecretOnceAndWorksAtOnce) {
    TestServer server;
    auto r = create_key(server, R"({"name": "kiosk", "role": "client", "expires": null})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("cache-control"), "no-store");
    auto j = r.json();
    const auto secret = j.value("secret", "");
    ASSERT_EQ(secret.rfind("o311_", 0), 0U) << r.body;
    EXPECT_EQ(j["name"], "kiosk");
    EXPECT_EQ(j["role"], "client");
    EXPECT_EQ(j["prefix"], secret.substr(0, 9));
    EXPECT_TRUE(format::parse_w3c(j["created"].get<std::string>()));
    EXPECT_TRUE(j["expires"].is_null());
    EXPECT_EQ(j["state"], "active");

    EXPECT_EQ(submit_with(server, secret), 200);

    auto list = staff_call(server, "GET", "/admin/v1/keys", server.admin_key);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body.find(secret), std::string::npos);
    auto keys = list.json()["keys"];
    ASSERT_EQ(keys.size(), 4U);
    const auto* kiosk = listed(keys, "kiosk");
    ASSERT_NE(kiosk, nullptr) << list.body;
    EXPECT_EQ((*kiosk)["prefix"], secret.substr(0, 9));
    std::vector<std::string> names;
    collect_keys(list.json(), names);
    for (const auto& name : names) {
        EXPECT_EQ(name.find("secret"), std::string::npos) << name;
        EXPECT_EQ(name.find("hash"), std::string::npos) << name;
    }

    auto audit = staff_call(server, "GET", "/admin/v1/audit?action=key.create", server.admin_key);
    ASSERT_EQ(audit.status, 200) << audit.body;
    EXPECT_EQ(audit.body.find(secret), std::string::npos);
    auto lines = audit.json()["audit"];
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0]["actor"], "test-admin");
    EXPECT_EQ(lines[0]["subject"], "kiosk");
    EXPECT_TRUE(lines[0]["detail"]["before"].is_null());
    EXPECT_EQ(lines[0]["detail"]["after"]["role"], "client");
    EXPECT_FALSE(lines[0]["detail"]["after"].contains("secret"));
}

TEST(AdminKeys, CreatedStaffAndAdminKeysHaveTheirRoles) {
    TestServer server;
    auto staff = create_key(server, R"({"name": "moderator", "role": "staff"})").json();
    auto admin = create_key(server, R"({"name": "root2", "role": "admin"})").json();
    const auto staff_secret = staff.value("secret", "");
    const auto admin_secret = admin.value("secret", "");
    EXPECT_EQ(staff_call(server, "GET", "/admin/v1/requests", staff_secret).status, 200);
    EXPECT_EQ(staff_call(server, "GET", "/admin/v1/keys", staff_secret).status, 403);
    EXPECT_EQ(staff_call(server, "GET", "/admin/v1/keys", admin_secret).status, 200);
    // Every live key may submit requests.
    EXPECT_EQ(submit_with(server, admin_secret), 200);
}

TEST(AdminKeys, ExpiryIsADatetimeOrADate) {
    TestServer server;
    auto r = create_key(
        server, R"({"name": "temp", "role": "client", "expires": "2099-01-31T12:00:00+02:00"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["expires"], "2099-01-31T10:00:00Z");
    r = create_key(server, R"({"name": "temp2", "role": "client", "expires": "2099-01-31"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.json()["expires"], "2099-02-01T00:00:00Z");
}

TEST(AdminKeys, CreateRefusesBadBodies) {
    TestServer server;
    EXPECT_TRUE(
        has(error_text(create_key(server, R"({"name": "a", "role": "client", "colour": 1})"), 400),
            "colour: unknown field"));
    auto text = error_text(create_key(server, R"({"role": "root"})"), 400);
    EXPECT_TRUE(has(text, "name: required")) << text;
    EXPECT_TRUE(has(text, "role: required: client, staff or admin")) << text;
    EXPECT_TRUE(has(error_text(create_key(server, R"({"name": "", "role": "client"})"), 400),
                    "name: expected 1 to 100"));
    EXPECT_TRUE(has(
        error_text(
            create_key(server, R"({"name": ")" + std::string(101, 'k') + R"(", "role": "client"})"),
            400),
        "name:"));
    EXPECT_TRUE(
        has(error_text(create_key(server, R"({"name": "a/b", "role": "client"})"), 400), "name:"));
    EXPECT_TRUE(
        has(error_text(create_key(server, "{\"name\": \"a\\nb\", \"role\": \"client\"}"), 400),
            "name:"));
    EXPECT_TRUE(
        has(error_text(create_key(server, R"({"name": "a", "role": "client", "expires": "soon"})"),
                       400),
            "expires: expected a W3C datetime"));
    EXPECT_TRUE(
        has(error_text(
                create_key(server,
                           R"({"name": "a", "role": "client", "expires": "2001-01-01T00:00:00Z"})"),
                400),
            "expires: must be in the future"));
    EXPECT_TRUE(
        has(error_text(create_key(server, "{\"name\": \"a\\tb\", \"role\": \"client\"}"), 400),
            "name:"));
    EXPECT_TRUE(
        has(error_text(create_key(server, R"({"name": " a", "role": "client"})"), 400), "name:"));
    EXPECT_TRUE(has(error_text(create_key(server, "[]"), 400), "body"));
    EXPECT_TRUE(
        has(error_text(create_key(server, R"({"name": "test-staff", "role": "client"})"), 409),
            "already exists"));
    EXPECT_EQ(server.store().list_keys().size(), 3U);
    auto audit = staff_call(server, "GET", "/admin/v1/audit?action=key.", server.admin_key);
    EXPECT_TRUE(audit.json()["audit"].empty()) << audit.body;
}

TEST(AdminKeys, RevokedKeyIsRefusedAtOnce) {
    TestServer server;
    auto secret =
        create_key(server, R"({"name": "kiosk", "role": "client"})").json().value("secret", "");
    ASSERT_EQ(submit_with(server, secret), 200);

    auto r = staff_call(server, "DELETE", "/admin/v1/keys/kiosk", server.admin_key);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["state"], "revoked");
    EXPECT_TRUE(format::parse_w3c(j["revoked"].get<std::string>()));
    EXPECT_FALSE(j.contains("secret"));
    EXPECT_EQ(submit_with(server, secret), 403);

    // Revoking again answers the same and writes no second line.
    EXPECT_EQ(staff_call(server, "DELETE", "/admin/v1/keys/kiosk", server.admin_key).status, 200);
    auto lines = staff_call(server, "GET", "/admin/v1/audit?action=key.revoke", server.admin_key)
                     .json()["audit"];
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0]["subject"], "kiosk");
    EXPECT_EQ(lines[0]["detail"]["before"]["state"], "active");
    EXPECT_EQ(lines[0]["detail"]["after"]["state"], "revoked");

    auto list = staff_call(server, "GET", "/admin/v1/keys", server.admin_key).json()["keys"];
    ASSERT_NE(listed(list, "kiosk"), nullptr);
    EXPECT_EQ((*listed(list, "kiosk"))["state"], "revoked");

    // A revoked staff key loses the staff API at once too.
    EXPECT_EQ(staff_call(server, "DELETE", "/admin/v1/keys/test-staff", server.admin_key).status,
              200);
    EXPECT_EQ(staff_call(server, "GET", "/admin/v1/requests", server.staff_key).status, 403);
}

TEST(AdminKeys, ListShowsExpiredKeys) {
    TestServer server;
    const auto secret = server.create_key("old-app", Role::client, now() - 60);
    EXPECT_EQ(submit_with(server, secret), 403);
    auto keys = staff_call(server, "GET", "/admin/v1/keys", server.admin_key).json()["keys"];
    const auto* old = listed(keys, "old-app");
    ASSERT_NE(old, nullptr);
    EXPECT_EQ((*old)["state"], "expired");
    EXPECT_TRUE((*old)["revoked"].is_null());
    auto expires = format::parse_w3c((*old)["expires"].get<std::string>());
    ASSERT_TRUE(expires);
    EXPECT_LT(*expires, now());
    EXPECT_EQ((*listed(keys, "test-staff"))["state"], "active");
}

TEST(AdminKeys, NamesWithSpacesAreAddressedEncoded) {
    TestServer server;
    auto r = create_key(server, R"({"name": "city app", "role": "client"})");
    ASSERT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.header("location"), "/admin/v1/keys/city%20app");
    auto revoked = staff_call(server, "DELETE", r.header("location"), server.admin_key);
    ASSERT_EQ(revoked.status, 200) << revoked.body;
    EXPECT_EQ(revoked.json()["name"], "city app");
    EXPECT_EQ(revoked.json()["state"], "revoked");
}

TEST(AdminKeys, RevokeRefusesUnknownNamesAndItself) {
    TestServer server;
    EXPECT_TRUE(has(
        error_text(staff_call(server, "DELETE", "/admin/v1/keys/nobody", server.admin_key), 404),
        "no key 'nobody'"));
    EXPECT_TRUE(
        has(error_text(staff_call(server, "DELETE", "/admin/v1/keys/test-admin", server.admin_key),
                       409),
            "cannot revoke itself"));
    EXPECT_EQ(staff_call(server, "GET", "/admin/v1/keys", server.admin_key).status, 200);
}

}  // namespace
}  // namespace open311::test
