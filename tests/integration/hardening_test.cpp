// Inputs real clients send that are easy to get wrong: FixMyStreet's extra attributes, an
// absolute-form target, an unencoded '+', large uploads at once, oversized Content-Length.
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace open311::test {
namespace {

std::string status_line_code(const std::string& raw) {
    auto space = raw.find(' ');
    return space == std::string::npos ? "" : raw.substr(space + 1, 3);
}

}  // namespace

TEST(Hardening, FixMyStreetExtraAttributesAreIgnored) {
    TestServer server;
    auto body = form({{"api_key", server.client_key},
                      {"service_code", "171"},
                      {"lat", "60.17"},
                      {"long", "24.94"},
                      {"description", "Kuoppa kadulla"},
                      {"attribute[report_url]", "https://fms.example/report/12"},
                      {"attribute[fixmystreet_id]", "12"},
                      {"attribute[last_name]", "Virtanen"}});
    auto r = server.client().post_form(server.base() + "/requests.xml", body);
    ASSERT_EQ(r.status, 200) << r.body;
    auto doc = r.xml();
    EXPECT_FALSE(
        doc->child("service_requests").child("request").child("service_request_id").empty());
}

TEST(Hardening, NewRequestsAreReceived) {
    TestServer server;
    auto id = server.submit_published();
    auto list =
        server.client().get(server.base() + "/requests.json?status=received&extensions=true");
    ASSERT_EQ(list.status, 200) << list.body;
    auto j = list.json();
    ASSERT_EQ(j.size(), 1U);
    EXPECT_EQ(j[0]["service_request_id"], id);
    EXPECT_EQ(j[0]["extended_attributes"]["detailed_status"], "RECEIVED");
}

TEST(Hardening, AbsoluteFormTargetIsRouted) {
    TestServer server;
    auto raw = server.client().send_raw("GET http://127.0.0.1" + server.base() +
                                        "/services.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                        "Connection: close\r\n\r\n");
    EXPECT_EQ(status_line_code(raw), "200") << raw.substr(0, 200);
}

TEST(Hardening, UnencodedPlusInAnOffsetIsRead) {
    TestServer server;
    auto r = server.client().get(server.base() +
                                 "/requests.json?start_date=2026-01-01T00:00:00+02:00&"
                                 "end_date=2026-02-01T00:00:00+02:00");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(r.json().is_array());
}

TEST(Hardening, HugeContentLengthIsRefusedInTheRequestedFormat) {
    TestServer server;
    auto raw = server.client().send_raw("POST " + server.base() +
                                        "/requests.json HTTP/1.1\r\nHost: x\r\n"
                                        "Content-Type: application/x-www-form-urlencoded\r\n"
                                        "Content-Length: 99999999999\r\n\r\n");
    EXPECT_EQ(status_line_code(raw), "413");
    auto body = raw.substr(raw.find("\r\n\r\n") + 4);
    auto j = nlohmann::json::parse(body, nullptr, false);
    ASSERT_TRUE(j.is_array()) << body;
    EXPECT_EQ(j[0]["code"], 413);
}

TEST(Hardening, BodyBudgetAnswers429WhenExhausted) {
    TestServer server([](Config& c) {
        c.max_inflight_body_bytes = 1024 * 1024;
        c.max_multipart_bytes = 8 * 1024 * 1024;
    });
    // The declared body alone is over the budget: refused before any of it is read.
    auto raw = server.client().send_raw("POST " + server.base() +
                                        "/requests.json HTTP/1.1\r\nHost: x\r\n"
                                        "Content-Type: multipart/form-data; boundary=b\r\n"
                                        "Content-Length: 2000000\r\n\r\n");
    EXPECT_EQ(status_line_code(raw), "429") << raw.substr(0, 200);
    EXPECT_NE(raw.find("Retry-After: 1"), std::string::npos);
    // The budget is released: a small request still works.
    EXPECT_EQ(server.client().get(server.base() + "/services.json").status, 200);
    auto ok = server.client().post_form(server.base() + "/requests.json",
                                        form({{"api_key", server.client_key},
                                              {"service_code", "171"},
                                              {"lat", "60.17"},
                                              {"long", "24.94"},
                                              {"description", "Kuoppa kadulla"}}));
    EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST(Hardening, UnknownMethodIsNamedInThe405) {
    TestServer server;
    auto r = server.client().request("PATCH", server.base() + "/services.json");
    EXPECT_EQ(r.status, 405);
    EXPECT_NE(r.json()[0]["description"].get<std::string>().find("PATCH"), std::string::npos);
    EXPECT_NE(r.header("Allow").find("GET"), std::string::npos);
}

}  // namespace open311::test

namespace open311::test {

TEST(Hardening, CorsAllowsAnyOriginByDefault) {
    TestServer server;
    auto r =
        server.client().get(server.base() + "/services.json", {{"Origin", "https://any.example"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "*");
    auto preflight = server.client().request(
        "OPTIONS",
        server.base() + "/requests.json",
        "",
        {{"Origin", "https://any.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(preflight.status, 204);
    EXPECT_NE(preflight.header("Access-Control-Allow-Methods").find("POST"), std::string::npos);
}

TEST(Hardening, EmptyCorsListTurnsCorsOff) {
    TestServer server([](Config& c) { c.cors_origins.clear(); });
    auto r =
        server.client().get(server.base() + "/services.json", {{"Origin", "https://any.example"}});
    EXPECT_EQ(r.status, 200);
    EXPECT_TRUE(r.header("Access-Control-Allow-Origin").empty());
}

}  // namespace open311::test

namespace open311::test {

TEST(Hardening, RequestsWithoutABodyTakeNoBudget) {
    TestServer server([](Config& c) { c.max_inflight_body_bytes = 1000; });
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 16; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 5; ++i) {
                if (server.client().get(server.base() + "/services.json").status == 200) {
                    ++ok;
                }
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(ok.load(), 80);
    // Back-to-back small POSTs fit one at a time: each gives its share back before answering.
    for (int i = 0; i < 10; ++i) {
        auto r = server.client().post_form(server.base() + "/requests.json",
                                           form({{"api_key", server.client_key},
                                                 {"service_code", "171"},
                                                 {"lat", "60.17"},
                                                 {"long", "24.94"}}));
        ASSERT_EQ(r.status, 200) << r.body;
    }
}

}  // namespace open311::test
