// GeoReport v2 / FMS service request updates over real HTTP: the public feed, POSTed updates
// with their moderation and tokens, and what never appears publicly.
#include "format/datetime.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace open311::test {
namespace {

using nlohmann::json;

Response staff(const TestServer& server,
               const std::string& method,
               const std::string& target,
               const std::string& body = "") {
    std::map<std::string, std::string> headers{{"Authorization", "Bearer " + server.staff_key}};
    if (!body.empty()) {
        headers["Content-Type"] = "application/json";
    }
    return server.client().request(method, target, body, headers);
}

void staff_patch(const TestServer& server, const std::string& id, const json& body) {
    auto r = staff(server, "PATCH", "/admin/v1/requests/" + id, body.dump());
    ASSERT_EQ(r.status, 200) << r.body;
}

std::vector<std::pair<std::string, std::string>> update_fields(const TestServer& server,
                                                               const std::string& request_id,
                                                               const std::string& status) {
    return {{"api_key", server.client_key},
            {"service_request_id", request_id},
            {"update_id", "fms-1234"},
            {"updated_datetime", "2026-05-01T10:00:00+03:00"},
            {"status", status},
            {"description", "Still broken, the hole is getting bigger."},
            {"email", "commenter@example.org"},
            {"first_name", "Maija"},
            {"last_name", "Meikäläinen"},
            {"account_id", "acct-77"}};
}

json feed(const TestServer& server, const std::string& query = "") {
    auto r = server.client().get(server.base() + "/servicerequestupdates.json" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
}

TEST(Updates, StaffChangesOfPublishedRequestsAppearInTheFeedInBothFormats) {
    TestServer server;
    const auto published = server.submit_published();
    const auto pending = server.submit();
    staff_patch(server,
                published,
                {{"detailed_status", "IN_PROCESS"}, {"status_notes", "Inspection ordered."}});
    staff_patch(server, pending, {{"status", "closed"}, {"status_notes", "Hidden"}});
    staff_patch(server, published, {{"detailed_status", "PROCESSED"}, {"status_notes", "Fixed."}});

    auto j = feed(server);
    ASSERT_TRUE(j.is_array()) << j.dump();
    ASSERT_EQ(j.size(), 2u) << j.dump();
    EXPECT_EQ(j[0]["service_request_id"], published);
    EXPECT_EQ(j[0]["status"], "in_progress");
    EXPECT_EQ(j[0]["description"], "Inspection ordered.");
    EXPECT_EQ(j[1]["status"], "fixed");
    EXPECT_TRUE(format::parse_w3c(j[1]["updated_datetime"].get<std::string>()).has_value());
    std::set<std::string> keys;
    for (const auto& [k, v] : j[0].items()) {
        keys.insert(k);
    }
    EXPECT_EQ(keys,
              (std::set<std::string>{"update_id",
                                     "service_request_id",
                                     "status",
                                     "updated_datetime",
                                     "description",
                                     "media_url"}));

    auto xml = server.client().get(server.base() + "/servicerequestupdates.xml");
    ASSERT_EQ(xml.status, 200);
    auto doc = xml.xml();
    auto root = doc->child("service_request_updates");
    ASSERT_TRUE(root);
    std::vector<std::string> ids;
    for (auto u : root.children("request_update")) {
        ids.emplace_back(u.child_value("update_id"));
        EXPECT_EQ(std::string(u.child_value("service_request_id")), published);
    }
    EXPECT_EQ(ids.size(), 2u);
    EXPECT_EQ(ids[0], j[0]["update_id"]);
}

TEST(Updates, BasicStatusStyleWritesOnlyOpenAndClosed) {
    TestServer server([](Config& c) { c.extended_update_statuses = false; });
    const auto id = server.submit_published();
    staff_patch(server, id, {{"detailed_status", "IN_PROCESS"}});
    staff_patch(server, id, {{"detailed_status", "REJECTED"}});
    auto j = feed(server);
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[0]["status"], "open");
    EXPECT_EQ(j[1]["status"], "closed");
}

TEST(Updates, TheFeedWindowFollowsStartAndEndDate) {
    TestServer server;
    const auto id = server.submit_published();
    staff_patch(server, id, {{"status", "closed"}});
    EXPECT_EQ(feed(server, "?start_date=2001-01-01T00:00:00Z&end_date=2001-01-02T00:00:00Z").size(),
              0u);
    EXPECT_EQ(feed(server, "?start_date=" + format::to_w3c(now() - 60)).size(), 1u);
    auto bad =
        server.client().get(server.base() + "/servicerequestupdates.json?start_date=yesterday");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.json()[0]["description"].get<std::string>().rfind("start_date:", 0), 0u);
    auto reversed = server.client().get(
        server.base() +
        "/servicerequestupdates.xml?start_date=2026-02-02T00:00:00Z&end_date=2026-01-01T00:00:00Z");
    EXPECT_EQ(reversed.status, 400);
    EXPECT_TRUE(reversed.xml()->child("errors"));
}

TEST(Updates, AClientUpdateGetsItsIdAtOnceButWaitsForModeration) {
    TestServer server;
    const auto id = server.submit_published();
    staff_patch(server, id, {{"status", "closed"}});

    auto r = server.client().post_form(server.base() + "/servicerequestupdates.xml",
                                       form(update_fields(server, id, "OPEN")));
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = r.xml();
    auto item = doc->child("service_request_updates").child("request_update");
    // FixMyStreet reads update_id here; a token would send it to the *request* token endpoint.
    const std::string update_id = item.child_value("update_id");
    ASSERT_FALSE(update_id.empty()) << r.body;
    EXPECT_FALSE(item.child("token"));
    EXPECT_EQ(std::string(item.child_value("account_id")), "acct-77");

    // Not public, not applied yet.
    EXPECT_EQ(feed(server).size(), 1u);
    auto queue = staff(server, "GET", "/admin/v1/updates?state=pending").json()["updates"];
    ASSERT_EQ(queue.size(), 1u);
    EXPECT_EQ(queue[0]["update_id"], update_id);
    EXPECT_EQ(queue[0]["email"], "commenter@example.org");
    EXPECT_EQ(queue[0]["client_update_id"], "fms-1234");

    auto pub = staff(server, "POST", "/admin/v1/updates/" + update_id + "/publish");
    ASSERT_EQ(pub.status, 200) << pub.body;
    EXPECT_EQ(pub.json()["state"], "published");
    EXPECT_EQ(staff(server, "POST", "/admin/v1/updates/" + update_id + "/publish").status, 409);

    auto record = staff(server, "GET", "/admin/v1/requests/" + id).json();
    EXPECT_EQ(record["status"], "open");  // reopened by the published update
    auto j = feed(server);
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[1]["update_id"], update_id);
    EXPECT_EQ(j[1]["status"], "open");
    EXPECT_EQ(j[1]["description"], "Still broken, the hole is getting bigger.");
    // Personal fields of the poster never reach the feed.
    auto raw = server.client().get(server.base() + "/servicerequestupdates.json").body;
    for (const char* secret : {"commenter@example.org", "Maija", "Meikäläinen", "acct-77"}) {
        EXPECT_EQ(raw.find(secret), std::string::npos) << secret;
    }
}

TEST(Updates, ARejectedClientUpdateNeverAppears) {
    TestServer server;
    const auto id = server.submit_published();
    auto r = server.client().post_form(server.base() + "/servicerequestupdates.json",
                                       form(update_fields(server, id, "fixed")));
    ASSERT_EQ(r.status, 200) << r.body;
    const std::string update_id = r.json()[0]["update_id"];
    ASSERT_EQ(staff(server, "POST", "/admin/v1/updates/" + update_id + "/reject").status, 200);
    EXPECT_EQ(feed(server).size(), 0u);
    EXPECT_EQ(staff(server, "GET", "/admin/v1/requests/" + id).json()["status"], "open");
}

TEST(Updates, UpdatesOfBatchServiceRequestsAnswerATokenThatResolvesToTheId) {
    TestServer server;
    auto r =
        server.client().post_form(server.base() + "/requests.json",
                                  form({{"api_key", server.client_key},
                                        {"service_code", "2809.1"},
                                        {"lat", "60.17"},
                                        {"long", "24.94"},
                                        {"description", "Aloite: lisää penkkejä rantareitille."},
                                        {"can_be_published", "true"}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto t = server.client().get(server.base() + "/tokens/" +
                                 r.json()[0]["token"].get<std::string>() + ".json");
    ASSERT_EQ(t.status, 200) << t.body;
    const std::string id = t.json()[0]["service_request_id"];
    server.publish(id);

    auto u = server.client().post_form(server.base() + "/servicerequestupdates.xml",
                                       form(update_fields(server, id, "OPEN")));
    ASSERT_EQ(u.status, 200) << u.body;
    auto doc = u.xml();
    auto item = doc->child("service_request_updates").child("request_update");
    const std::string token = item.child_value("token");
    ASSERT_FALSE(token.empty()) << u.body;
    EXPECT_FALSE(item.child("update_id"));  // the spec: no update_id when a token is returned

    auto resolved = server.client().get(server.base() + "/update_tokens/" + token + ".xml");
    ASSERT_EQ(resolved.status, 200) << resolved.body;
    auto rdoc = resolved.xml();
    auto ritem = rdoc->child("service_request_updates").child("request_update");
    EXPECT_EQ(std::string(ritem.child_value("token")), token);
    const std::string update_id = ritem.child_value("update_id");
    auto queue = staff(server, "GET", "/admin/v1/updates?state=pending").json()["updates"];
    ASSERT_EQ(queue.size(), 1u);
    EXPECT_EQ(queue[0]["update_id"], update_id);
}

TEST(Updates, StaffKeysPostUpdatesThatApplyAtOnceWithExtendedStates) {
    TestServer server;
    const auto id = server.submit_published();
    auto fields = update_fields(server, id, "ACTION_SCHEDULED");
    fields[0].second = server.staff_key;
    auto r = server.client().post_form(server.base() + "/servicerequestupdates.json", form(fields));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json()[0].contains("update_id"));
    EXPECT_FALSE(r.json()[0].contains("token"));
    auto record = staff(server, "GET", "/admin/v1/requests/" + id).json();
    EXPECT_EQ(record["status"], "open");
    EXPECT_EQ(record["extended_attributes"]["detailed_status"], "IN_PROCESS");
    auto j = feed(server);
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["status"], "action_scheduled");
}

TEST(Updates, UnmoderatedClientUpdatesApplyWhenConfigured) {
    TestServer server([](Config& c) { c.moderate_client_updates = false; });
    const auto id = server.submit_published({{"email", "citizen@example.org"}});
    auto r =
        server.client().post_form(server.base() + "/servicerequestupdates.json",
                                  form(update_fields(server, id, "not_councils_responsibility")));
    ASSERT_EQ(r.status, 200) << r.body;
    auto record = staff(server, "GET", "/admin/v1/requests/" + id).json();
    EXPECT_EQ(record["status"], "closed");
    EXPECT_EQ(record["extended_attributes"]["detailed_status"], "REJECTED");
    EXPECT_EQ(record["notifications"].size(), 1u);
    EXPECT_EQ(feed(server)[0]["status"], "not_councils_responsibility");
}

TEST(Updates, BadUpdatesAreRefusedByFieldAndStoreNothing) {
    TestServer server;
    const auto id = server.submit_published();
    auto post = [&](std::vector<std::pair<std::string, std::string>> fields) {
        return server.client().post_form(server.base() + "/servicerequestupdates.json",
                                         form(fields));
    };
    auto without = [&](const std::string& name) {
        auto f = update_fields(server, id, "OPEN");
        f.erase(std::remove_if(f.begin(), f.end(), [&](const auto& p) { return p.first == name; }),
                f.end());
        return f;
    };
    for (const char* field :
         {"service_request_id", "update_id", "status", "description", "updated_datetime"}) {
        auto r = post(without(field));
        EXPECT_EQ(r.status, 400) << field << ": " << r.body;
        bool named = false;
        for (const auto& e : r.json()) {
            named |= e["description"].get<std::string>().rfind(std::string(field) + ":", 0) == 0;
        }
        EXPECT_TRUE(named) << r.body;
    }
    auto with = [&](const std::string& name, const std::string& value) {
        auto f = update_fields(server, id, "OPEN");
        bool found = false;
        for (auto& p : f) {
            if (p.first == name) {
                p.second = value;
                found = true;
            }
        }
        if (!found) {
            f.emplace_back(name, value);
        }
        return f;
    };
    EXPECT_EQ(post(with("status", "teleported")).status, 400);
    EXPECT_EQ(post(with("updated_datetime", "last week")).status, 400);
    EXPECT_EQ(post(with("email", "not-an-address")).status, 400);
    EXPECT_EQ(post(with("media_url", "ftp://example.org/a.jpg")).status, 400);
    EXPECT_EQ(post(with("description", "<b>bold</b> claims here")).status, 400);
    EXPECT_EQ(post(with("service_request_id", "nosuchrequest")).status, 404);
    EXPECT_EQ(post(with("api_key", "wrong")).status, 403);
    EXPECT_EQ(post(without("api_key")).status, 403);
    EXPECT_TRUE(staff(server, "GET", "/admin/v1/updates").json()["updates"].empty());
    EXPECT_EQ(server.client().get(server.base() + "/update_tokens/nosuchtoken.json").status, 404);
}

}  // namespace
}  // namespace open311::test
