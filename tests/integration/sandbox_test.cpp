// `open311d sandbox` (issue 13): the seed, reset, the clock, transitions, faults, the journal
// and the header on every answer. The POST rate limits are in local_post_limits_test.cpp.
// Sandboxes run in-process on an ephemeral loopback port (each test is a process of its own,
// so the sandbox clock cannot leak into another test); the refusal of a non-loopback address
// and serve --demo run the real binary.
#include "sandbox/sandbox.hpp"

#include "format/datetime.hpp"
#include "support/child_process.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace open311::test::sandbox_mode {
namespace {

constexpr const char* kBase = "/open311/v2";
constexpr const char* kFixedClock = "2026-05-01T12:00:00Z";

std::unique_ptr<sandbox::Sandbox> start_sandbox(
    std::uint64_t seed = 1,
    std::optional<std::string> clock = std::string(kFixedClock),
    const std::string& moderation = "published") {
    sandbox::SandboxOptions o;
    o.listen = "127.0.0.1:0";
    o.seed = seed;
    if (clock) {
        o.clock = format::parse_w3c(*clock);
    }
    o.moderation = moderation;
    o.log_level = "warn";
    auto box = std::make_unique<sandbox::Sandbox>(o);
    box->start();
    return box;
}

std::vector<std::pair<std::string, std::string>> new_request(const std::string& description) {
    return {{"api_key", "sandbox-client-key"},
            {"service_code", "171"},
            {"lat", "60.1699"},
            {"long", "24.9384"},
            {"description", description}};
}

/// POSTs a request with the sandbox's client key; returns its id.
std::string create(const HttpClient& http, const std::string& description) {
    auto r = http.post_form(std::string(kBase) + "/requests.json", form(new_request(description)));
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    return j.is_array() && !j.empty() ? j[0].value("service_request_id", "") : "";
}

nlohmann::json post_json(const HttpClient& http,
                         const std::string& target,
                         const nlohmann::json& body,
                         int expected = 200) {
    auto r = http.request("POST", target, body.dump(), {{"Content-Type", "application/json"}});
    EXPECT_EQ(r.status, expected) << target << " " << r.body;
    return r.json();
}

std::set<std::string> ids_of(const nlohmann::json& list) {
    std::set<std::string> out;
    for (const auto& item : list) {
        out.insert(item.value("service_request_id", ""));
    }
    return out;
}

TEST(Sandbox, TheSameSeedGivesByteIdenticalRequestLists) {
    std::string first;
    std::string second;
    std::string other_seed;
    {
        auto box = start_sandbox(7);
        auto r = HttpClient(box->port()).get(std::string(kBase) + "/requests.json");
        ASSERT_EQ(r.status, 200) << r.body;
        first = r.body;
        const auto list = r.json();
        ASSERT_TRUE(list.is_array());
        EXPECT_EQ(list.size(), static_cast<std::size_t>(sandbox::kSeedRequests));
        std::set<std::string> statuses;
        std::set<std::string> services;
        for (const auto& item : list) {
            statuses.insert(item.value("status", ""));
            services.insert(item.value("service_code", ""));
            const double lat = item["lat"].get<double>();
            const double lon = item["long"].get<double>();
            EXPECT_GE(lat, sandbox::kMinLat);
            EXPECT_LE(lat, sandbox::kMaxLat);
            EXPECT_GE(lon, sandbox::kMinLon);
            EXPECT_LE(lon, sandbox::kMaxLon);
        }
        EXPECT_EQ(statuses, (std::set<std::string>{"open", "closed"}));
        EXPECT_GT(services.size(), 10U);
    }
    {
        auto box = start_sandbox(7);
        second = HttpClient(box->port()).get(std::string(kBase) + "/requests.json").body;
    }
    {
        auto box = start_sandbox(8);
        other_seed = HttpClient(box->port()).get(std::string(kBase) + "/requests.json").body;
    }
    EXPECT_EQ(first, second);
    EXPECT_NE(first, other_seed);
}

TEST(Sandbox, ACreatedRequestIsReadableAtOnceByIdInAListByIdsAndInADateWindow) {
    auto box = start_sandbox(1, std::nullopt);
    HttpClient http(box->port());
    const auto id = create(http, "Katuvalo ei toimi Mannerheimintiellä");
    ASSERT_FALSE(id.empty());

    auto one = http.get(std::string(kBase) + "/requests/" + id + ".json");
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.json()[0]["service_request_id"], id);
    EXPECT_EQ(one.json()[0]["description"], "Katuvalo ei toimi Mannerheimintiellä");

    auto by_ids =
        http.get(std::string(kBase) + "/requests.json?service_request_id=" + id + ",1001");
    ASSERT_EQ(by_ids.status, 200) << by_ids.body;
    EXPECT_EQ(ids_of(by_ids.json()), (std::set<std::string>{id, "1001"}));

    // The last hour, as a client asks for it.
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    auto window = http.get(std::string(kBase) +
                           "/requests.json?start_date=" + form_encode(format::to_w3c(now - 3600)) +
                           "&end_date=" + form_encode(format::to_w3c(now + 60)));
    ASSERT_EQ(window.status, 200) << window.body;
    EXPECT_EQ(ids_of(window.json()), (std::set<std::string>{id}));

    auto xml = http.get(std::string(kBase) + "/requests/" + id + ".xml");
    ASSERT_EQ(xml.status, 200);
    EXPECT_EQ(std::string(xml.xml()
                              ->child("service_requests")
                              .child("request")
                              .child_value("service_request_id")),
              id);
}

TEST(Sandbox, PendingModerationKeepsNewRequestsOutOfTheLists) {
    auto box = start_sandbox(1, std::string(kFixedClock), "pending");
    HttpClient http(box->port());
    const auto id = create(http, "Roska-astia on täynnä");
    auto list = http.get(std::string(kBase) + "/requests.json?service_request_id=" + id);
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(list.json().empty());
}

TEST(Sandbox, ResetRestoresTheSeedAfterCreatesEditsAndDeletes) {
    auto box = start_sandbox();
    HttpClient http(box->port());
    const std::string list = std::string(kBase) + "/requests.json";
    const auto seeded = http.get(list).body;
    const auto services = http.get(std::string(kBase) + "/services.json").body;
    const auto updates = http.get(std::string(kBase) + "/servicerequestupdates.json").body;

    const auto created = create(http, "Uusi ilmoitus ennen nollausta");
    post_json(http, "/__sandbox/requests/1002/transition", {{"status", "closed"}});
    auto staff_edit = http.request(
        "PATCH",
        "/admin/v1/requests/1004",
        nlohmann::json{{"status_notes", "Muokattu"}}.dump(),
        {{"Authorization", "Bearer sandbox-staff-key"}, {"Content-Type", "application/json"}});
    EXPECT_EQ(staff_edit.status, 200) << staff_edit.body;
    auto removed = http.request(
        "DELETE", "/admin/v1/services/171", "", {{"Authorization", "Bearer sandbox-admin-key"}});
    EXPECT_EQ(removed.status, 200) << removed.body;
    ASSERT_NE(http.get(list).body, seeded);
    ASSERT_NE(http.get(std::string(kBase) + "/services.json").body, services);

    auto reset = post_json(http, "/__sandbox/reset", nlohmann::json::object());
    EXPECT_EQ(reset["reset"], true);

    EXPECT_EQ(http.get(list).body, seeded);
    EXPECT_EQ(http.get(std::string(kBase) + "/services.json").body, services);
    EXPECT_EQ(http.get(std::string(kBase) + "/servicerequestupdates.json").body, updates);
    EXPECT_EQ(http.get(std::string(kBase) + "/requests/" + created + ".json").status, 404);
    auto audit =
        http.get("/admin/v1/requests/1002", {{"Authorization", "Bearer sandbox-staff-key"}});
    ASSERT_EQ(audit.status, 200) << audit.body;
    EXPECT_TRUE(audit.json()["audit"].empty());
    // The keys are part of the seed and still work.
    EXPECT_FALSE(create(http, "Ilmoitus nollauksen jälkeen").empty());
}

TEST(Sandbox, TheClockMovesRequestTimesAndTheDefaultWindow) {
    auto box = start_sandbox();
    HttpClient http(box->port());
    auto clock = http.get("/__sandbox/clock");
    ASSERT_EQ(clock.status, 200);
    const auto start = format::parse_w3c(clock.json()["now"].get<std::string>());
    ASSERT_TRUE(start);
    EXPECT_LT(*start - *format::parse_w3c(kFixedClock), 60);

    const std::string list = std::string(kBase) + "/requests.json";
    EXPECT_EQ(http.get(list).json().size(), static_cast<std::size_t>(sandbox::kSeedRequests));

    auto moved = post_json(http, "/__sandbox/clock", {{"advance", "P95D"}});
    const auto later = format::parse_w3c(moved["now"].get<std::string>());
    ASSERT_TRUE(later);
    EXPECT_GE(*later - *start, 95 * 86400);
    // The seed lies in the 60 days before the start: 95 days on, the 90-day window is empty.
    EXPECT_TRUE(http.get(list).json().empty());

    const auto id = create(http, "Ilmoitus tulevaisuudesta");
    auto created = http.get(std::string(kBase) + "/requests/" + id + ".json").json();
    const auto requested = format::parse_w3c(created[0]["requested_datetime"].get<std::string>());
    ASSERT_TRUE(requested);
    EXPECT_GE(*requested, *later);
    EXPECT_LT(*requested - *later, 60);
    EXPECT_EQ(ids_of(http.get(list).json()), (std::set<std::string>{id}));

    post_json(http, "/__sandbox/clock", {{"set", "2030-01-01T00:00:00Z"}});
    const auto set =
        format::parse_w3c(http.get("/__sandbox/clock").json()["now"].get<std::string>());
    EXPECT_LT(*set - *format::parse_w3c("2030-01-01T00:00:00Z"), 60);

    post_json(http, "/__sandbox/clock", {{"advance", "2 hours"}}, 400);
    post_json(http, "/__sandbox/clock", {{"set", "yesterday"}}, 400);
    post_json(http, "/__sandbox/clock", nlohmann::json::object(), 400);
}

TEST(Sandbox, ATransitionShowsInTheRequestTheUpdatesFeedAndTheAuditTrail) {
    auto box = start_sandbox();
    HttpClient http(box->port());
    auto answer = post_json(http,
                            "/__sandbox/requests/1002/transition",
                            {{"status", "closed"},
                             {"status_notes", "Korjattu sandboxissa."},
                             {"agency_responsible", "Sandboxin kunnossapito"},
                             {"expected_datetime", "2026-05-03T08:00:00Z"}});
    EXPECT_EQ(answer["status"], "closed");

    auto request = http.get(std::string(kBase) + "/requests/1002.json").json()[0];
    EXPECT_EQ(request["status"], "closed");
    EXPECT_EQ(request["status_notes"], "Korjattu sandboxissa.");
    EXPECT_EQ(request["agency_responsible"], "Sandboxin kunnossapito");
    EXPECT_EQ(request["expected_datetime"], "2026-05-03T08:00:00Z");

    auto feed = http.get(std::string(kBase) + "/servicerequestupdates.json");
    ASSERT_EQ(feed.status, 200) << feed.body;
    bool found = false;
    for (const auto& u : feed.json()) {
        found |= u.value("service_request_id", "") == "1002" && u.value("status", "") == "closed";
    }
    EXPECT_TRUE(found) << feed.body;

    auto staff =
        http.get("/admin/v1/requests/1002", {{"Authorization", "Bearer sandbox-staff-key"}});
    ASSERT_EQ(staff.status, 200) << staff.body;
    bool audited = false;
    const auto record = staff.json();
    for (const auto& line : record["audit"]) {
        audited |=
            line.value("actor", "") == "sandbox" && line.value("action", "") == "request.edit";
    }
    EXPECT_TRUE(audited) << staff.body;

    post_json(http, "/__sandbox/requests/1002/transition", {{"status", "maybe"}}, 400);
    post_json(http, "/__sandbox/requests/1002/transition", {{"title", "x"}}, 400);
    post_json(http, "/__sandbox/requests/nope/transition", {{"status", "open"}}, 404);
}

TEST(Sandbox, FaultsApplyTheGivenNumberOfTimesThenStop) {
    auto box = start_sandbox();
    HttpClient http(box->port());
    auto added = post_json(http,
                           "/__sandbox/faults",
                           {{"match", "POST /requests"}, {"status", 503}, {"times", 2}},
                           201);
    EXPECT_EQ(added["faults"].size(), 1U);

    const auto body = form(new_request("Vika ja uusi yritys"));
    auto first = http.post_form(std::string(kBase) + "/requests.json", body);
    EXPECT_EQ(first.status, 503);
    EXPECT_EQ(first.json()[0]["code"], 503);
    EXPECT_EQ(first.header("retry-after"), "1");
    // A GET is not matched.
    EXPECT_EQ(http.get(std::string(kBase) + "/requests.json").status, 200);
    auto second = http.post_form(std::string(kBase) + "/requests.xml", body);
    EXPECT_EQ(second.status, 503);
    EXPECT_EQ(std::string(second.xml()->child("errors").child("error").child_value("code")), "503");
    auto third = http.post_form(std::string(kBase) + "/requests.json", body);
    EXPECT_EQ(third.status, 200) << third.body;
    EXPECT_TRUE(http.get("/__sandbox/faults").json()["faults"].empty());

    post_json(http,
              "/__sandbox/faults",
              {{"match", "GET /services"}, {"status", 500}, {"times", 5}},
              201);
    auto cleared = http.request("DELETE", "/__sandbox/faults");
    EXPECT_EQ(cleared.status, 200);
    EXPECT_EQ(http.get(std::string(kBase) + "/services.json").status, 200);

    post_json(http, "/__sandbox/faults", {{"match", "requests"}}, 400);
    post_json(http, "/__sandbox/faults", {{"match", "POST /requests"}, {"status", 200}}, 400);
}

TEST(Sandbox, TheJournalNamesTheFieldsButKeepsNoValues) {
    auto box = start_sandbox();
    HttpClient http(box->port());
    create(http, "Päiväkirjan testi");
    auto journal = http.get("/__sandbox/journal?limit=1");
    ASSERT_EQ(journal.status, 200) << journal.body;
    const auto entries = journal.json()["requests"];
    ASSERT_EQ(entries.size(), 1U);
    EXPECT_EQ(entries[0]["method"], "POST");
    EXPECT_EQ(entries[0]["path"], std::string(kBase) + "/requests.json");
    EXPECT_EQ(entries[0]["status"], 200);
    EXPECT_TRUE(entries[0]["duration_ms"].is_number());
    std::set<std::string> fields(entries[0]["fields"].begin(), entries[0]["fields"].end());
    EXPECT_EQ(fields,
              (std::set<std::string>{"api_key", "service_code", "lat", "long", "description"}));
    EXPECT_EQ(journal.body.find("sandbox-client-key"), std::string::npos);
    EXPECT_EQ(http.get("/__sandbox/journal?limit=0").status, 400);
}

TEST(Sandbox, TokensResolveToTheirRequest) {
    auto box = start_sandbox();
    HttpClient http(box->port());
    const auto token = box->seed().batch_token;
    ASSERT_FALSE(token.empty());
    auto resolved =
        post_json(http, "/__sandbox/tokens/" + token + "/resolve", nlohmann::json::object());
    const auto id = resolved["service_request_id"].get<std::string>();
    auto via_api = http.get(std::string(kBase) + "/tokens/" + token + ".json");
    ASSERT_EQ(via_api.status, 200);
    EXPECT_EQ(via_api.json()[0]["service_request_id"], id);
    post_json(http, "/__sandbox/tokens/unknown/resolve", nlohmann::json::object(), 404);
}

TEST(Sandbox, EveryAnswerCarriesTheSandboxHeaderTheTransportsOwnIncluded) {
    auto box = start_sandbox();
    HttpClient http(box->port());
    EXPECT_EQ(http.get(std::string(kBase) + "/discovery.json").header("x-open311-sandbox"), "1");
    EXPECT_EQ(http.get("/nothing-here").header("x-open311-sandbox"), "1");
    EXPECT_EQ(http.get("/__sandbox/clock").header("x-open311-sandbox"), "1");
    const auto malformed = http.send_raw("GARBAGE\r\n\r\n");
    EXPECT_NE(malformed.find(" 400 "), std::string::npos) << malformed;
    EXPECT_NE(malformed.find("X-Open311-Sandbox: 1"), std::string::npos) << malformed;
    // A declared length over the limit is refused from the header alone.
    const auto too_large =
        http.send_raw("POST " + std::string(kBase) +
                      "/requests.json HTTP/1.1\r\nHost: x\r\nContent-Type: "
                      "application/x-www-form-urlencoded\r\nContent-Length: " +
                      std::to_string(box->config().max_body_bytes + 10) + "\r\n\r\napi_key=x");
    EXPECT_NE(too_large.find(" 413 "), std::string::npos) << too_large.substr(0, 200);
    EXPECT_NE(too_large.find("X-Open311-Sandbox: 1"), std::string::npos);
}

TEST(Sandbox, TheControlApiDoesNotExistUnderServe) {
    TestServer server;
    auto http = server.client();
    EXPECT_EQ(http.request("POST", "/__sandbox/reset").status, 404);
    EXPECT_EQ(http.get("/__sandbox/clock").status, 404);
    EXPECT_EQ(http.get(server.base() + "/discovery.json").header("x-open311-sandbox"), "");
}

TEST(Sandbox, ANonLoopbackListenAddressIsRefused) {
    sandbox::SandboxOptions o;
    o.listen = "0.0.0.0:0";
    EXPECT_THROW(sandbox::Sandbox{o}, sandbox::SandboxError);

    TempDir dir;
    ChildProcess child(
        {OPEN311_BINARY, "sandbox", "--listen", "0.0.0.0:0"}, {}, dir.path(), "remote");
    EXPECT_EQ(child.wait(), 2);
    EXPECT_NE(child.err().find("--allow-remote"), std::string::npos) << child.err();
}

TEST(Sandbox, ServesTheDemoInitiatives) {
    auto box = start_sandbox();
    auto r = HttpClient(box->port()).get("/api/v1/initiatives");
    ASSERT_EQ(r.status, 200) << r.body;
    auto list = r.json();
    ASSERT_TRUE(list.is_array());
    EXPECT_FALSE(list.empty());
    EXPECT_EQ(r.header("X-Open311-Sandbox"), "1");
}

}  // namespace
}  // namespace open311::test::sandbox_mode
