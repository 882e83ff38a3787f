// Moderation over real HTTP: the staff API under /admin/v1 and the public visibility rules
// that follow from it (issue 2, "Moderation").
#include "format/datetime.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace open311::test {
namespace {

Response admin(const TestServer& server,
               const std::string& method,
               const std::string& target,
               const std::string& key,
               const std::string& body = "") {
    std::map<std::string, std::string> headers;
    if (!key.empty()) {
        headers["Authorization"] = "Bearer " + key;
    }
    if (!body.empty()) {
        headers["Content-Type"] = "application/json";
    }
    return server.client().request(method, target, body, headers);
}

/// The ids of a public JSON request list.
std::vector<std::string> public_ids(const TestServer& server, const std::string& query = "") {
    auto r = server.client().get(server.base() + "/requests.json" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    auto j = r.json();
    EXPECT_TRUE(j.is_array()) << r.body;
    for (const auto& item : j) {
        ids.push_back(item.value("service_request_id", ""));
    }
    return ids;
}

/// The ids of a public XML request list.
std::vector<std::string> public_ids_xml(const TestServer& server) {
    auto r = server.client().get(server.base() + "/requests.xml");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::string> ids;
    auto doc = r.xml();
    for (auto req : doc->child("service_requests").children("request")) {
        ids.emplace_back(req.child_value("service_request_id"));
    }
    return ids;
}

/// The staff list for one state, as JSON.
nlohmann::json staff_list(const TestServer& server, const std::string& query) {
    auto r = admin(server, "GET", "/admin/v1/requests" + query, server.staff_key);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

const nlohmann::json* find_item(const nlohmann::json& list, const std::string& id) {
    for (const auto& item : list["requests"]) {
        if (item.value("service_request_id", "") == id) {
            return &item;
        }
    }
    return nullptr;
}

void expect_error_body(const Response& r, int code) {
    auto j = r.json();
    ASSERT_TRUE(j.is_array()) << r.body;
    ASSERT_FALSE(j.empty()) << r.body;
    EXPECT_EQ(j[0].value("code", 0), code) << r.body;
    EXPECT_FALSE(j[0].value("description", "").empty()) << r.body;
}

const std::vector<std::pair<std::string, std::string>> kSubmitterFields = {
    {"email", "maija.meikalainen@example.fi"},
    {"first_name", "Maija"},
    {"last_name", "Meikäläinen"},
    {"phone", "+358401234567"},
    {"device_id", "device-7f3a9c"},
    {"account_id", "acct-42"},
};

}  // namespace

TEST(Moderation, PendingListCarriesEveryFieldAndState) {
    TestServer server;
    auto id = server.submit(kSubmitterFields);
    auto list = staff_list(server, "?state=pending");
    ASSERT_TRUE(list.is_object()) << list.dump();
    ASSERT_TRUE(list["requests"].is_array());
    ASSERT_TRUE(list["total"].is_number_integer());
    EXPECT_EQ(list["total"].get<int>(), 1);
    const auto* item = find_item(list, id);
    ASSERT_NE(item, nullptr) << list.dump();
    EXPECT_EQ(item->value("state", ""), "pending");
    for (const auto& [name, value] : kSubmitterFields) {
        ASSERT_TRUE(item->contains(name)) << name;
        EXPECT_EQ((*item)[name], value) << name;
    }
    for (const char* name :
         {"service_code", "description", "lat", "long", "requested_datetime", "updated_datetime"}) {
        EXPECT_TRUE(item->contains(name)) << name;
    }
    EXPECT_EQ(item->value("service_code", ""), "171");
    EXPECT_EQ(find_item(staff_list(server, "?state=published"), id), nullptr);
    EXPECT_FALSE(contains(public_ids(server), id));
}

TEST(Moderation, PagingWalksTheQueue) {
    TestServer server;
    std::set<std::string> submitted;
    for (int i = 0; i < 3; ++i) {
        submitted.insert(server.submit());
    }
    auto first = staff_list(server, "?state=pending&page=1&page_size=2");
    auto second = staff_list(server, "?state=pending&page=2&page_size=2");
    ASSERT_EQ(first["requests"].size(), 2U) << first.dump();
    ASSERT_EQ(second["requests"].size(), 1U) << second.dump();
    EXPECT_EQ(first["total"].get<int>(), 3);
    EXPECT_EQ(second["total"].get<int>(), 3);
    std::set<std::string> seen;
    for (const auto* page : {&first, &second}) {
        for (const auto& item : (*page)["requests"]) {
            seen.insert(item["service_request_id"].get<std::string>());
        }
    }
    EXPECT_EQ(seen, submitted);
}

TEST(Moderation, PublishAnswersTheObjectAndListsPublicly) {
    TestServer server;
    auto id = server.submit();
    EXPECT_FALSE(contains(public_ids(server), id));
    auto r = admin(server, "POST", "/admin/v1/requests/" + id + "/publish", server.staff_key);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j.value("service_request_id", ""), id);
    EXPECT_EQ(j.value("state", ""), "published");
    EXPECT_TRUE(contains(public_ids(server), id));
    EXPECT_TRUE(contains(public_ids_xml(server), id));
    auto by_id = server.client().get(server.base() + "/requests/" + id + ".json");
    ASSERT_EQ(by_id.status, 200) << by_id.body;
    auto item = by_id.json();
    ASSERT_TRUE(item.is_array() && item.size() == 1) << by_id.body;
    EXPECT_EQ(item[0].value("description", ""), "Iso kuoppa ajoradalla Mannerheimintiellä");
    auto published = staff_list(server, "?state=published");
    const auto* listed = find_item(published, id);
    ASSERT_NE(listed, nullptr) << published.dump();
    EXPECT_EQ(listed->value("state", ""), "published");
}

TEST(Moderation, PublishWithoutPermissionIsConflict) {
    TestServer server;
    auto id = server.submit({}, false);
    auto r = admin(server, "POST", "/admin/v1/requests/" + id + "/publish", server.staff_key);
    ASSERT_EQ(r.status, 409) << r.body;
    expect_error_body(r, 409);
    EXPECT_NE(r.json()[0].value("description", "").find("can_be_published"), std::string::npos)
        << r.body;
    EXPECT_FALSE(contains(public_ids(server), id));
    EXPECT_NE(find_item(staff_list(server, "?state=pending"), id), nullptr);
}

TEST(Moderation, RejectHidesTheRequestEverywherePublic) {
    TestServer server;
    auto id = server.submit_published();
    ASSERT_TRUE(contains(public_ids(server), id));
    auto r = admin(server,
                   "POST",
                   "/admin/v1/requests/" + id + "/reject",
                   server.staff_key,
                   R"({"reason": "offensive language"})");
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j.value("state", ""), "rejected");
    EXPECT_EQ(j.value("reject_reason", ""), "offensive language");
    EXPECT_FALSE(contains(public_ids(server), id));
    EXPECT_FALSE(contains(public_ids_xml(server), id));
    EXPECT_FALSE(contains(public_ids(server, "?service_request_id=" + id), id));
    for (const char* suffix : {".json", ".xml"}) {
        auto by_id = server.client().get(server.base() + "/requests/" + id + suffix);
        EXPECT_EQ(by_id.status, 404) << suffix << " " << by_id.body;
    }
    EXPECT_NE(find_item(staff_list(server, "?state=rejected"), id), nullptr);
    EXPECT_EQ(find_item(staff_list(server, "?state=published"), id), nullptr);
}

TEST(Moderation, RejectWithMalformedBodyIsBadRequest) {
    TestServer server;
    auto id = server.submit();
    auto r = admin(
        server, "POST", "/admin/v1/requests/" + id + "/reject", server.staff_key, "{not json");
    EXPECT_EQ(r.status, 400) << r.body;
    expect_error_body(r, 400);
}

TEST(Moderation, UnpublishReturnsToPending) {
    TestServer server;
    auto id = server.submit_published();
    ASSERT_TRUE(contains(public_ids(server), id));
    auto r = admin(server, "POST", "/admin/v1/requests/" + id + "/unpublish", server.staff_key);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().value("state", ""), "pending");
    EXPECT_FALSE(contains(public_ids(server), id));
    EXPECT_FALSE(contains(public_ids_xml(server), id));
    EXPECT_NE(find_item(staff_list(server, "?state=pending"), id), nullptr);
}

TEST(Moderation, PendingByIdIsPartialInGeoreportProfile) {
    TestServer server;
    auto id = server.submit({{"address_string", "Mannerheimintie 1"}});
    auto r = server.client().get(server.base() + "/requests/" + id + ".json");
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_array() && j.size() == 1) << r.body;
    EXPECT_EQ(j[0].value("service_request_id", ""), id);
    EXPECT_EQ(j[0].value("service_code", ""), "171");
    for (const char* hidden : {"description", "lat", "long", "address", "media_url"}) {
        EXPECT_FALSE(j[0].contains(hidden)) << hidden << " in " << r.body;
    }
}

TEST(Moderation, UnknownIdIsNotFound) {
    TestServer server;
    for (const char* action : {"publish", "reject", "unpublish"}) {
        auto r = admin(server,
                       "POST",
                       std::string("/admin/v1/requests/no-such-id/") + action,
                       server.staff_key);
        EXPECT_EQ(r.status, 404) << action << " " << r.body;
        expect_error_body(r, 404);
    }
}

TEST(Moderation, MissingAuthorizationIsUnauthorized) {
    TestServer server;
    auto id = server.submit();
    auto list = admin(server, "GET", "/admin/v1/requests?state=pending", "");
    EXPECT_EQ(list.status, 401) << list.body;
    expect_error_body(list, 401);
    auto publish = admin(server, "POST", "/admin/v1/requests/" + id + "/publish", "");
    EXPECT_EQ(publish.status, 401) << publish.body;
    EXPECT_FALSE(contains(public_ids(server), id));
}

TEST(Moderation, ClientKeyIsForbidden) {
    TestServer server;
    auto id = server.submit();
    EXPECT_EQ(admin(server, "GET", "/admin/v1/requests", server.client_key).status, 403);
    auto publish =
        admin(server, "POST", "/admin/v1/requests/" + id + "/publish", server.client_key);
    EXPECT_EQ(publish.status, 403) << publish.body;
    expect_error_body(publish, 403);
    EXPECT_FALSE(contains(public_ids(server), id));
}

TEST(Moderation, RevokedStaffKeyIsForbidden) {
    TestServer server;
    auto key = server.create_key("second-staff", Role::staff);
    ASSERT_EQ(admin(server, "GET", "/admin/v1/requests", key).status, 200);
    ASSERT_TRUE(server.store().revoke_key("second-staff", now()));
    auto r = admin(server, "GET", "/admin/v1/requests", key);
    EXPECT_EQ(r.status, 403) << r.body;
    expect_error_body(r, 403);
    EXPECT_EQ(admin(server, "GET", "/admin/v1/requests", "not-a-real-key").status, 403);
}

TEST(Moderation, BadStateIsBadRequest) {
    TestServer server;
    auto r = admin(server, "GET", "/admin/v1/requests?state=archived", server.staff_key);
    EXPECT_EQ(r.status, 400) << r.body;
    expect_error_body(r, 400);
    EXPECT_NE(r.json()[0].value("description", "").find("state"), std::string::npos) << r.body;
}

TEST(Moderation, AdminKeyAlsoModerates) {
    TestServer server;
    auto id = server.submit();
    auto list = admin(server, "GET", "/admin/v1/requests?state=pending", server.admin_key);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_NE(find_item(list.json(), id), nullptr);
    auto r = admin(server, "POST", "/admin/v1/requests/" + id + "/publish", server.admin_key);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(contains(public_ids(server), id));
}

TEST(Moderation, PublishingMovesUpdatedDatetime) {
    TestServer server;
    // A request submitted two hours ago, still waiting for moderation.
    const Timestamp then = now() - 7200;
    ServiceRequest old;
    old.id = "moderation-old-request-0001";
    old.service_code = "171";
    old.description = "Vanha kuoppa";
    old.lat = 60.17;
    old.lon = 24.94;
    old.can_be_published = true;
    old.requested_at = then;
    old.updated_at = then;
    server.store().insert_request(old);

    const std::string after = form_encode(format::to_w3c(now() - 600));
    EXPECT_FALSE(contains(public_ids(server, "?updated_after=" + after), old.id));
    auto r = admin(server, "POST", "/admin/v1/requests/" + old.id + "/publish", server.staff_key);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j.value("requested_datetime", ""), format::to_w3c(then));
    auto updated = format::parse_w3c(j.value("updated_datetime", ""));
    ASSERT_TRUE(updated.has_value()) << r.body;
    EXPECT_GE(*updated, now() - 600);

    EXPECT_TRUE(contains(public_ids(server, "?updated_after=" + after), old.id));
    const std::string before = form_encode(format::to_w3c(now() - 600));
    EXPECT_FALSE(contains(public_ids(server, "?updated_before=" + before), old.id));
}

}  // namespace open311::test
