// Case handling over real HTTP: staff edits (PATCH) with versions, the status rules, the
// updates they publish, the audit trail and the outbox entry a closed request causes.
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace open311::test {
namespace {

using nlohmann::json;

Response staff(const TestServer& server,
               const std::string& method,
               const std::string& target,
               const std::string& body = "",
               std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + server.staff_key;
    if (!body.empty()) {
        headers["Content-Type"] = "application/json";
    }
    return server.client().request(method, target, body, headers);
}

Response patch(const TestServer& server,
               const std::string& id,
               const json& body,
               std::map<std::string, std::string> headers = {}) {
    return staff(server, "PATCH", "/admin/v1/requests/" + id, body.dump(), std::move(headers));
}

json staff_record(const TestServer& server, const std::string& id) {
    auto r = staff(server, "GET", "/admin/v1/requests/" + id);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json();
}

std::string first_error(const Response& r) {
    auto j = r.json();
    if (j.is_array() && !j.empty()) {
        return j[0].value("description", "");
    }
    return j.value("description", "");
}

TEST(CaseHandling, DetailedStatusDecidesTheStatusAndPublishesAnUpdate) {
    TestServer server;
    const auto id = server.submit_published();
    auto r = patch(server,
                   id,
                   {{"detailed_status", json::array({"IN_PROCESS", "PUBLIC_WORKS_NEW"})},
                    {"status_notes", "Forwarded to street maintenance."}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["status"], "open");
    EXPECT_EQ(j["extended_attributes"]["detailed_status"], "IN_PROCESS,PUBLIC_WORKS_NEW");
    EXPECT_EQ(j["status_notes"], "Forwarded to street maintenance.");
    EXPECT_EQ(j["version"], 3);  // submitted 1, published 2, edited 3
    EXPECT_EQ(r.header("etag"), "\"3\"");
    ASSERT_EQ(j["updates"].size(), 1u);
    EXPECT_EQ(j["updates"][0]["status"], "open");
    EXPECT_EQ(j["updates"][0]["external_status"], "in_progress");
    EXPECT_EQ(j["updates"][0]["description"], "Forwarded to street maintenance.");
    EXPECT_EQ(j["updates"][0]["state"], "published");

    r = patch(server, id, {{"detailed_status", "PROCESSED"}});
    ASSERT_EQ(r.status, 200) << r.body;
    j = r.json();
    EXPECT_EQ(j["status"], "closed");
    EXPECT_EQ(j["extended_attributes"]["detailed_status"], "PROCESSED");
    EXPECT_EQ(j["updates"].size(), 2u);
    EXPECT_EQ(j["updates"][1]["external_status"], "fixed");

    // The public record shows the new state.
    auto pub = server.client().get(server.base() + "/requests/" + id + ".json?extensions=true");
    ASSERT_EQ(pub.status, 200);
    auto item = pub.json().is_array() ? pub.json()[0] : pub.json();
    EXPECT_EQ(item["status"], "closed");
    EXPECT_EQ(item["extended_attributes"]["detailed_status"], "PROCESSED");
}

TEST(CaseHandling, AStatusAloneMovesTheMainDetailedValue) {
    TestServer server;
    const auto id = server.submit_published();
    auto r = patch(server, id, {{"status", "closed"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["extended_attributes"]["detailed_status"], "PROCESSED");
    r = patch(server, id, {{"status", "open"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["status"], "open");
    EXPECT_EQ(r.json()["extended_attributes"]["detailed_status"], "IN_PROCESS");
}

TEST(CaseHandling, ContradictionsAndBadFieldsAreRefusedByName) {
    TestServer server;
    const auto id = server.submit_published();
    struct Case {
        json body;
        std::string field;
    };
    const std::vector<Case> cases = {
        {{{"status", "open"}, {"detailed_status", json::array({"PROCESSED"})}}, "status"},
        {{{"detailed_status", json::array({"IN_PROCESS", "PROCESSED"})}}, "detailed_status"},
        {{{"detailed_status", json::array({"DONE"})}}, "detailed_status"},
        {{{"status", "finished"}}, "status"},
        {{{"priority", "high"}}, "priority"},
        {{{"expected_datetime", "tomorrow"}}, "expected_datetime"},
        {{{"title", 42}}, "title"},
        {{{"description", "<script>alert(1)</script> text here"}}, "description"},
        {{{"status_notes", std::string("bad\x01note")}}, "status_notes"},
        {json::array({1, 2}), "body"},
    };
    for (const auto& c : cases) {
        auto r = patch(server, id, c.body);
        EXPECT_EQ(r.status, 400) << c.body.dump() << " → " << r.body;
        EXPECT_EQ(first_error(r).rfind(c.field + ":", 0), 0u) << r.body;
    }
    auto r = staff(server, "PATCH", "/admin/v1/requests/" + id, "{not json");
    EXPECT_EQ(r.status, 400);
    // Nothing of the refused edits was stored.
    auto j = staff_record(server, id);
    EXPECT_EQ(j["version"], 2);
    EXPECT_TRUE(j["updates"].empty());
}

TEST(CaseHandling, UnknownRequestIs404AndKeysAreChecked) {
    TestServer server;
    auto r = patch(server, "nosuchrequest", {{"status", "closed"}});
    EXPECT_EQ(r.status, 404);
    const auto id = server.submit_published();
    r = server.client().request("PATCH",
                                "/admin/v1/requests/" + id,
                                R"({"status":"closed"})",
                                {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, 401);
    r = server.client().request(
        "PATCH",
        "/admin/v1/requests/" + id,
        R"({"status":"closed"})",
        {{"Content-Type", "application/json"}, {"Authorization", "Bearer " + server.client_key}});
    EXPECT_EQ(r.status, 403);
}

TEST(CaseHandling, AStaleVersionIsAConflictNotALostUpdate) {
    TestServer server;
    const auto id = server.submit_published();
    const auto etag = staff(server, "GET", "/admin/v1/requests/" + id).header("etag");
    ASSERT_EQ(etag, "\"2\"");

    auto first =
        patch(server, id, {{"agency_responsible", "Street maintenance"}}, {{"If-Match", etag}});
    ASSERT_EQ(first.status, 200) << first.body;
    auto second = patch(server, id, {{"agency_responsible", "Parks"}}, {{"If-Match", etag}});
    EXPECT_EQ(second.status, 409) << second.body;
    EXPECT_EQ(second.header("etag"), "\"3\"");
    auto by_body = patch(server, id, {{"agency_responsible", "Parks"}, {"version", 2}});
    EXPECT_EQ(by_body.status, 409) << by_body.body;
    EXPECT_EQ(staff_record(server, id)["agency_responsible"], "Street maintenance");

    auto fresh = patch(server, id, {{"agency_responsible", "Parks"}}, {{"If-Match", "\"3\""}});
    EXPECT_EQ(fresh.status, 200) << fresh.body;
    EXPECT_EQ(patch(server, id, {{"title", "x"}}, {{"If-Match", "three"}}).status, 400);
}

TEST(CaseHandling, ConcurrentEditsWithOneVersionLetExactlyOneWin) {
    TestServer server;
    const auto id = server.submit_published();
    std::atomic<int> ok{0};
    std::atomic<int> conflicts{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < 6; ++i) {
        threads.emplace_back([&, i] {
            auto r = patch(server,
                           id,
                           {{"status_notes", "note " + std::to_string(i)}},
                           {{"If-Match", "\"2\""}});
            (r.status == 200 ? ok : conflicts)++;
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(ok.load(), 1);
    EXPECT_EQ(conflicts.load(), 5);
    auto j = staff_record(server, id);
    EXPECT_EQ(j["version"], 3);
    EXPECT_EQ(j["updates"].size(), 1u);
}

TEST(CaseHandling, ModeratorEditsKeepTheOriginalOnlyInTheAuditTrail) {
    TestServer server;
    const std::string original = "Broken bench near the lake, call me at 040 1234567 please.";
    const auto id = server.submit_published({{"description", original}});
    auto r = patch(server,
                   id,
                   {{"description", "Broken bench near the lake."},
                    {"title", "Broken bench"},
                    {"address", "Rantapuisto"}});
    ASSERT_EQ(r.status, 200) << r.body;

    auto pub = server.client().get(server.base() + "/requests/" + id + ".json?extensions=true");
    ASSERT_EQ(pub.status, 200);
    EXPECT_EQ(pub.body.find("040 1234567"), std::string::npos);
    auto item = pub.json().is_array() ? pub.json()[0] : pub.json();
    EXPECT_EQ(item["description"], "Broken bench near the lake.");
    EXPECT_EQ(item["address"], "Rantapuisto");
    auto xml = server.client().get(server.base() + "/requests/" + id + ".xml");
    EXPECT_EQ(std::string(
                  xml.xml()->child("service_requests").child("request").child_value("description")),
              "Broken bench near the lake.");

    auto audit = staff_record(server, id)["audit"];
    auto edit = std::find_if(
        audit.begin(), audit.end(), [](const json& a) { return a["action"] == "request.edit"; });
    ASSERT_NE(edit, audit.end());
    EXPECT_EQ((*edit)["actor"], "test-staff");
    EXPECT_EQ((*edit)["detail"]["before"]["description"], original);
    EXPECT_EQ((*edit)["detail"]["after"]["description"], "Broken bench near the lake.");
    EXPECT_FALSE(staff_record(server, id)["updates"].size());  // text edits publish no update
}

TEST(CaseHandling, TheAuditTrailRecordsEveryStaffActionInOrder) {
    TestServer server;
    const auto id = server.submit();
    server.publish(id);
    ASSERT_EQ(patch(server, id, {{"status", "closed"}}).status, 200);
    ASSERT_EQ(staff(server, "POST", "/admin/v1/requests/" + id + "/unpublish").status, 200);
    ASSERT_EQ(
        staff(server, "POST", "/admin/v1/requests/" + id + "/reject", R"({"reason":"duplicate"})")
            .status,
        200);
    auto audit = staff_record(server, id)["audit"];
    std::vector<std::string> actions;
    for (const auto& a : audit) {
        actions.push_back(a["action"]);
        EXPECT_EQ(a["actor"], "test-staff");
        EXPECT_EQ(a["request_id"], id);
        EXPECT_TRUE(a["at"].is_string());
    }
    EXPECT_EQ(actions,
              (std::vector<std::string>{
                  "request.publish", "request.edit", "request.unpublish", "request.reject"}));
    EXPECT_EQ(audit[3]["detail"]["after"]["reject_reason"], "duplicate");
    EXPECT_EQ(audit[1]["detail"]["before"]["status"], "open");
    EXPECT_EQ(audit[1]["detail"]["after"]["status"], "closed");
}

TEST(CaseHandling, TheDatabaseRefusesToRewriteOrDeleteTheAuditTrail) {
    TestServer server;
    const auto id = server.submit_published();
    ASSERT_FALSE(staff_record(server, id)["audit"].empty());
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(server.config().db_path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    for (const char* sql :
         {"UPDATE audit_log SET actor = 'someone else'", "DELETE FROM audit_log"}) {
        char* message = nullptr;
        EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, &message), SQLITE_OK) << sql;
        ASSERT_NE(message, nullptr);
        EXPECT_NE(std::string(message).find("append-only"), std::string::npos) << message;
        sqlite3_free(message);
    }
    sqlite3_close(db);
    EXPECT_EQ(staff_record(server, id)["audit"][0]["actor"], "test-staff");
}

TEST(CaseHandling, ClosingARequestWithAnEmailQueuesOneNotification) {
    TestServer server;
    const auto with_email =
        server.submit_published({{"email", "citizen@example.org"}, {"locale", "fi"}});
    const auto without_email = server.submit_published();
    ASSERT_EQ(patch(server,
                    with_email,
                    {{"detailed_status", "PROCESSED"}, {"status_notes", "Penkki korjattu."}})
                  .status,
              200);
    ASSERT_EQ(patch(server, without_email, {{"status", "closed"}}).status, 200);

    auto j = staff_record(server, with_email);
    ASSERT_EQ(j["notifications"].size(), 1u) << j.dump();
    const auto& n = j["notifications"][0];
    EXPECT_EQ(n["recipient"], "citizen@example.org");
    EXPECT_EQ(n["kind"], "request-processed");
    EXPECT_EQ(n["state"], "pending");
    EXPECT_NE(n["subject"].get<std::string>().find("käsitelty"), std::string::npos);
    EXPECT_TRUE(staff_record(server, without_email)["notifications"].empty());

    // Editing the closed request again does not notify twice.
    ASSERT_EQ(patch(server, with_email, {{"status_notes", "Lisätieto."}}).status, 200);
    EXPECT_EQ(staff_record(server, with_email)["notifications"].size(), 1u);
    // The public record carries none of it.
    auto pub = server.client().get(server.base() + "/requests/" + with_email + ".json");
    EXPECT_EQ(pub.body.find("citizen@example.org"), std::string::npos);
    EXPECT_EQ(pub.body.find("notifications"), std::string::npos);
}

TEST(CaseHandling, ANoChangeEditKeepsTheVersion) {
    TestServer server;
    const auto id = server.submit_published();
    auto before = staff_record(server, id);
    auto r = patch(server, id, {{"status", "open"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["version"], before["version"]);
    EXPECT_EQ(r.json()["updated_datetime"], before["updated_datetime"]);
}

}  // namespace
}  // namespace open311::test
