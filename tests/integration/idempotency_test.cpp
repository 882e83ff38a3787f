// Idempotency-Key on POST /requests: a retry gets the first answer again, a reused key with
// another body is a conflict, and concurrent duplicates create one request.
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

namespace open311::test {
namespace {

std::string report_body(const std::string& key, const std::string& description) {
    return form({{"api_key", key},
                 {"service_code", "171"},
                 {"lat", "60.1699"},
                 {"long", "24.9384"},
                 {"description", description},
                 {"email", "retry@example.org"}});
}

Response post(const TestServer& server,
              const std::string& body,
              const std::string& idempotency_key,
              const std::string& suffix = ".json") {
    return server.client().request("POST",
                                   server.base() + "/requests" + suffix,
                                   body,
                                   {{"Content-Type", "application/x-www-form-urlencoded"},
                                    {"Idempotency-Key", idempotency_key}});
}

}  // namespace

TEST(Idempotency, RetryGetsTheFirstAnswerAndCreatesNoSecondRow) {
    TestServer server;
    const auto body = report_body(server.client_key, "Katulamppu rikki, toistettu lähetys");
    auto first = post(server, body, "retry-1");
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_TRUE(first.header("Idempotent-Replayed").empty());
    auto second = post(server, body, "retry-1");
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(second.header("Idempotent-Replayed"), "true");
    EXPECT_EQ(second.json(), first.json());
    EXPECT_EQ(second.header("Content-Type"), first.header("Content-Type"));
    EXPECT_EQ(server.stored_requests(), 1);
}

TEST(Idempotency, SameFieldsInAnotherOrderAreTheSameRequest) {
    TestServer server;
    auto first = post(server,
                      form({{"api_key", server.client_key},
                            {"service_code", "171"},
                            {"lat", "60.17"},
                            {"long", "24.94"},
                            {"description", "Sama pyyntö eri järjestyksessä"}}),
                      "order-1");
    ASSERT_EQ(first.status, 200) << first.body;
    auto second = post(server,
                       form({{"description", "Sama pyyntö eri järjestyksessä"},
                             {"long", "24.94"},
                             {"lat", "60.17"},
                             {"service_code", "171"},
                             {"api_key", server.client_key}}),
                       "order-1");
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(second.json(), first.json());
    EXPECT_EQ(server.stored_requests(), 1);
}

TEST(Idempotency, SameKeyWithAnotherBodyIs409InTheRequestedFormat) {
    TestServer server;
    ASSERT_EQ(post(server, report_body(server.client_key, "Ensimmäinen kuvaus"), "k-409").status,
              200);
    auto json = post(server, report_body(server.client_key, "Toinen kuvaus"), "k-409");
    EXPECT_EQ(json.status, 409);
    auto j = json.json();
    ASSERT_TRUE(j.is_array() && !j.empty());
    EXPECT_EQ(j[0]["code"], 409);
    EXPECT_NE(j[0]["description"].get<std::string>().find("Idempotency-Key"), std::string::npos);

    auto xml = post(server, report_body(server.client_key, "Toinen kuvaus"), "k-409", ".xml");
    EXPECT_EQ(xml.status, 409);
    auto doc = xml.xml();
    EXPECT_EQ(std::string(doc->child("errors").child("error").child_value("code")), "409");
    EXPECT_EQ(server.stored_requests(), 1);
}

TEST(Idempotency, KeysAreScopedToTheApiKey) {
    TestServer server;
    const auto other = server.create_key("other-app", Role::client);
    auto a = post(server, report_body(server.client_key, "Sama avain, eri sovellus"), "shared");
    auto b = post(server, report_body(other, "Sama avain, eri sovellus"), "shared");
    ASSERT_EQ(a.status, 200) << a.body;
    ASSERT_EQ(b.status, 200) << b.body;
    EXPECT_NE(a.json()[0]["service_request_id"], b.json()[0]["service_request_id"]);
    EXPECT_EQ(server.stored_requests(), 2);
}

TEST(Idempotency, ARefusedRequestFreesTheKeyForTheCorrectedOne) {
    TestServer server;
    auto refused = post(server,
                        form({{"api_key", server.client_key},
                              {"service_code", "171"},
                              {"lat", "95"},
                              {"long", "24.94"},
                              {"description", "Väärä leveysaste"}}),
                        "fix-me");
    ASSERT_EQ(refused.status, 400) << refused.body;
    auto corrected = post(server, report_body(server.client_key, "Oikea sijainti"), "fix-me");
    EXPECT_EQ(corrected.status, 200) << corrected.body;
    EXPECT_EQ(server.stored_requests(), 1);
}

TEST(Idempotency, MalformedKeyIs400) {
    TestServer server;
    auto r =
        post(server, report_body(server.client_key, "Liian pitkä avain"), std::string(300, 'k'));
    EXPECT_EQ(r.status, 400);
    EXPECT_NE(r.body.find("Idempotency-Key"), std::string::npos);
    EXPECT_EQ(server.stored_requests(), 0);
}

TEST(Idempotency, ConcurrentDuplicatesCreateOneRequest) {
    TestServer server;
    const auto body = report_body(server.client_key, "Yhtäaikaiset uudelleenlähetykset");
    constexpr int kClients = 12;
    std::mutex mutex;
    std::vector<Response> answers;
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
        threads.emplace_back([&] {
            auto r = post(server, body, "burst-1");
            std::lock_guard lock(mutex);
            answers.push_back(std::move(r));
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::set<std::string> ids;
    int created = 0;
    for (const auto& r : answers) {
        // Each answer is the request's (first or replayed) or "still being handled, retry".
        ASSERT_TRUE(r.status == 200 || r.status == 409) << r.status << " " << r.body;
        if (r.status == 200) {
            ids.insert(r.json()[0]["service_request_id"].get<std::string>());
            created += r.header("Idempotent-Replayed").empty() ? 1 : 0;
        } else {
            EXPECT_EQ(r.header("Retry-After"), "1");
        }
    }
    EXPECT_LE(ids.size(), 1U);
    EXPECT_EQ(created, 1);
    EXPECT_EQ(server.stored_requests(), 1);
    // Once the first has finished, a retry is answered with it.
    auto late = post(server, body, "burst-1");
    ASSERT_EQ(late.status, 200) << late.body;
    EXPECT_EQ(late.header("Idempotent-Replayed"), "true");
}

TEST(Idempotency, ExpiredRecordsArePurged) {
    TestServer server;
    IdempotencyRecord old{
        "test-client", "ancient", "f", "id-old", now() - 3 * 24 * 3600, 200, "", ""};
    ASSERT_TRUE(server.store().claim_idempotency_key(old, 0).claimed);
    EXPECT_EQ(server.store().purge_idempotency_keys(now() - 24 * 3600), 1);
    EXPECT_EQ(server.store().purge_idempotency_keys(now() - 24 * 3600), 0);
}

}  // namespace open311::test
