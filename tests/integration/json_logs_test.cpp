// Logs as JSON lines (log.format = "json"): the server started as a process with its stderr
// captured; every line parses, access lines carry the route pattern and never a query value
// or personal data; request ids come from a trusted proxy's header; log.access sets the volume.
#include "support/child_process.hpp"
#include "support/server_fixture.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

namespace open311::test {
namespace {

std::vector<nlohmann::json> json_lines(const std::string& text) {
    std::vector<nlohmann::json> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty()) {
            continue;
        }
        auto j = nlohmann::json::parse(line, nullptr, false);
        EXPECT_FALSE(j.is_discarded()) << "not JSON: " << line;
        if (!j.is_discarded()) {
            EXPECT_TRUE(j.is_object()) << line;
            out.push_back(std::move(j));
        }
    }
    return out;
}

std::vector<nlohmann::json> access_lines(const std::vector<nlohmann::json>& lines) {
    std::vector<nlohmann::json> out;
    for (const auto& j : lines) {
        if (j.value("msg", "") == "access") {
            out.push_back(j);
        }
    }
    return out;
}

/// A client key made with the CLI on `db`.
std::string create_key(const std::string& dir, const std::string& db) {
    ChildProcess keys(
        {OPEN311_BINARY, "keys", "create", "--name", "app", "--role", "client", "--db", db},
        {},
        dir,
        "keys");
    EXPECT_EQ(keys.wait(), 0) << keys.err();
    std::ifstream out(dir + "/keys.stdout");
    std::string secret;
    for (std::string line; std::getline(out, line);) {
        if (!line.empty()) {
            secret = line;
        }
    }
    return secret;
}

TEST(JsonLogs, EveryLineIsJsonAndAccessLinesHoldNoQueryOrPersonalData) {
    TempDir dir;
    const auto db = dir.path() + "/open311d.db";
    const auto key = create_key(dir.path(), db);
    ASSERT_FALSE(key.empty());
    ChildProcess serve({OPEN311_BINARY, "serve", "--demo", "--listen", "127.0.0.1:0", "--db", db},
                       {"OPEN311_LOG_FORMAT=json",
                        "OPEN311_LOG_REQUEST_ID_HEADER=X-Request-Id",
                        "OPEN311_LIMITS_TRUSTED_PROXIES=127.0.0.1",
                        "OPEN311_LIMITS_IP_POSTS_PER_MINUTE=0"},
                       dir.path(),
                       "serve");
    const auto port =
        port_from_listen_line(serve.wait_for_line("listening on", std::chrono::seconds(30)));
    ASSERT_NE(port, 0) << serve.err();
    HttpClient client(port);

    auto services = client.get("/open311/v2/services.json?jurisdiction_id=hel.fi&secretq=QVALUE77",
                               {{"X-Request-Id", "proxy-trace-42"}});
    ASSERT_EQ(services.status, 200);
    EXPECT_EQ(services.header("X-Request-Id"), "proxy-trace-42");
    auto bad_id = client.get("/open311/v2/services.json", {{"X-Request-Id", "has space"}});
    EXPECT_NE(bad_id.header("X-Request-Id"), "has space");
    EXPECT_FALSE(bad_id.header("X-Request-Id").empty());

    auto posted = client.post_form("/open311/v2/requests.json",
                                   form({{"api_key", key},
                                         {"service_code", "171"},
                                         {"lat", "60.17"},
                                         {"long", "24.94"},
                                         {"description", "Broken bench in the park, please fix"},
                                         {"email", "maija.person@example.org"},
                                         {"first_name", "Maija"},
                                         {"last_name", "Meikalainen-Unique"},
                                         {"phone", "+358401234567"}}));
    ASSERT_EQ(posted.status, 200) << posted.body;
    const auto id = posted.json().at(0).at("service_request_id").get<std::string>();
    ASSERT_EQ(client.get("/open311/v2/requests/" + id + ".json?api_key=" + key).status, 200);
    EXPECT_EQ(serve.terminate(), 0);

    const auto text = serve.err();
    const auto lines = json_lines(text);
    ASSERT_GE(lines.size(), 5U) << text;
    for (const auto& j : lines) {
        EXPECT_TRUE(j.contains("time") && j.at("time").is_string()) << j;
        EXPECT_TRUE(j.contains("level") && j.at("level").is_string()) << j;
        EXPECT_TRUE(j.contains("msg") && j.at("msg").is_string()) << j;
    }
    // Start-up and shutdown lines are JSON too.
    EXPECT_NE(text.find("listening on"), std::string::npos);
    EXPECT_NE(text.find("stopped cleanly"), std::string::npos);
    for (const char* secret : {"QVALUE77",
                               "maija.person",
                               "Meikalainen-Unique",
                               "358401234567",
                               "Broken bench",
                               key.c_str()}) {
        EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in the log:\n" << text;
    }

    const auto access = access_lines(lines);
    ASSERT_EQ(access.size(), 4U) << text;
    for (const auto& j : access) {
        for (const char* field :
             {"request_id", "method", "route", "status", "bytes", "duration_ms"}) {
            EXPECT_TRUE(j.contains(field)) << field << " missing: " << j;
        }
        EXPECT_TRUE(j.at("status").is_number_integer()) << j;
        EXPECT_TRUE(j.at("bytes").is_number_integer()) << j;
        EXPECT_TRUE(j.at("duration_ms").is_number()) << j;
    }
    EXPECT_EQ(access[0].at("request_id"), "proxy-trace-42");
    EXPECT_EQ(access[0].at("route"), "/services");
    EXPECT_EQ(access[0].at("status"), 200);
    EXPECT_EQ(access[1].at("request_id"), bad_id.header("X-Request-Id"));
    EXPECT_EQ(access[2].at("method"), "POST");
    EXPECT_EQ(access[2].at("route"), "/requests");
    EXPECT_EQ(access[3].at("route"), "/requests/{service_request_id}");
}

TEST(JsonLogs, AccessLogVolumeFollowsTheSetting) {
    TempDir dir;
    const auto db = dir.path() + "/open311d.db";
    ChildProcess serve({OPEN311_BINARY, "serve", "--demo", "--listen", "127.0.0.1:0", "--db", db},
                       {"OPEN311_LOG_FORMAT=json", "OPEN311_LOG_ACCESS=errors"},
                       dir.path(),
                       "serve");
    const auto port =
        port_from_listen_line(serve.wait_for_line("listening on", std::chrono::seconds(30)));
    ASSERT_NE(port, 0) << serve.err();
    HttpClient client(port);
    ASSERT_EQ(client.get("/open311/v2/services.json").status, 200);
    ASSERT_EQ(client.get("/open311/v2/requests/nothing.json").status, 404);
    ASSERT_EQ(client.get("/healthz").status, 200);
    EXPECT_EQ(serve.terminate(), 0);
    const auto access = access_lines(json_lines(serve.err()));
    ASSERT_EQ(access.size(), 1U) << serve.err();
    EXPECT_EQ(access[0].at("status"), 404);
    EXPECT_EQ(access[0].at("route"), "/requests/{service_request_id}");
}

TEST(JsonLogs, RequestIdsComeFromTrustedProxiesOnly) {
    TestServer untrusted([](Config& c) { c.request_id_header = "X-Request-Id"; });
    auto r = untrusted.client().get("/healthz", {{"X-Request-Id", "forged-id-1"}});
    EXPECT_NE(r.header("X-Request-Id"), "forged-id-1");
    EXPECT_EQ(r.header("X-Request-Id").size(), 12U);

    TestServer trusted([](Config& c) {
        c.request_id_header = "X-Correlation-Id";
        c.trusted_proxies = {"127.0.0.0/8"};
    });
    auto t = trusted.client().get("/healthz", {{"X-Correlation-Id", "edge-7f3a:01"}});
    EXPECT_EQ(t.header("X-Request-Id"), "edge-7f3a:01");
    auto own = trusted.client().get("/healthz");
    EXPECT_EQ(own.header("X-Request-Id").size(), 12U);
}

}  // namespace
}  // namespace open311::test
