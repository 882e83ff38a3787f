// Two servers on one PostgreSQL database, as behind a load balancer: what one writes the other
// reads at once, its caches follow the other's writes, an e-mail is sent once, and an
// Idempotency-Key creates one request whichever server each retry reaches.
#include "mail/outbox_sender.hpp"
#include "support/plain_server.hpp"
#include "support/postgres_scratch.hpp"
#include "support/server_fixture.hpp"
#include "support/smtp_sink.hpp"
#include "support/staff_api.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

namespace open311::test {
namespace {

using namespace std::chrono_literals;

/// Server A (with the keys and the demo catalogue) and server B on the same schema.
class PostgresTwoServers : public ::testing::Test {
protected:
    PostgresTwoServers()
        : a_([this](Config& c) { c.db_path = schema_.url(); }), b_(a_.config(), schema_.url()) {}

    /// The ids of the public list of `client`'s server.
    std::set<std::string> listed(const HttpClient& client) {
        auto r = client.get(a_.base() + "/requests.json");
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> ids;
        for (const auto& item : r.json()) {
            ids.insert(item.value("service_request_id", ""));
        }
        return ids;
    }
    std::set<std::string> service_codes(const HttpClient& client) {
        auto r = client.get(a_.base() + "/services.json");
        EXPECT_EQ(r.status, 200) << r.body;
        std::set<std::string> codes;
        for (const auto& s : r.json()) {
            codes.insert(s.value("service_code", ""));
        }
        return codes;
    }

    PostgresSchema schema_;
    TestServer a_;
    PlainServer b_;
};

TEST_F(PostgresTwoServers, ARequestPostedToOneIsReadByIdFromTheOtherAtOnce) {
    const auto id = a_.submit_published();
    auto r = b_.client().get(a_.base() + "/requests/" + id + ".json");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()[0]["service_request_id"], id);
}

TEST_F(PostgresTwoServers, APublishOnOneShowsInTheOthersCachedList) {
    const auto id = a_.submit();  // pending: not listed
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(listed(a_.client()).count(id), 0U);  // A's list cache now holds this answer
    }
    auto published = b_.client().request("POST",
                                         "/admin/v1/requests/" + id + "/publish",
                                         "",
                                         {{"Authorization", "Bearer " + a_.staff_key}});
    ASSERT_EQ(published.status, 200) << published.body;
    EXPECT_TRUE(wait_until([&] { return listed(a_.client()).count(id) == 1; }));
}

TEST_F(PostgresTwoServers, ACatalogueChangeOnOneShowsInTheOthersServices) {
    EXPECT_EQ(service_codes(b_.client()).count("2806.20"), 0U);  // B's catalogue is cached
    auto created = staff_call(a_,
                              "POST",
                              "/admin/v1/services",
                              a_.admin_key,
                              R"({"service_code": "2806.20", "type": "realtime",
                                  "translations": {"fi": {"service_name": "Penkit"}}})");
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_TRUE(wait_until([&] { return service_codes(b_.client()).count("2806.20") == 1; }));
}

TEST_F(PostgresTwoServers, AnEmailQueuedOnEitherIsSentOnce) {
    TempDir dir;
    SmtpSink sink(dir.path());
    MailSettings settings;
    settings.host = "127.0.0.1";
    settings.port = sink.port();
    settings.sender = "noreply@feedback.example.org";
    settings.helo_name = "open311d.test";
    settings.starttls = StartTls::off;
    settings.timeout = 5s;
    settings.poll_interval = 100ms;
    // A sender beside each server.
    mail::OutboxSender sender_a(a_.store(), settings);
    mail::OutboxSender sender_b(b_.store(), settings);
    sender_a.start();
    sender_b.start();
    std::vector<std::string> ids;
    for (int i = 0; i < 6; ++i) {
        ids.push_back(a_.submit({{"email", "asukas" + std::to_string(i) + "@example.fi"}}));
        // Closed on A and on B in turn: each close queues one e-mail.
        const HttpClient client = i % 2 == 0 ? a_.client() : b_.client();
        auto r = client.request(
            "PATCH",
            "/admin/v1/requests/" + ids.back(),
            R"({"status": "closed", "status_notes": "Korjattu."})",
            {{"Authorization", "Bearer " + a_.staff_key}, {"Content-Type", "application/json"}});
        ASSERT_EQ(r.status, 200) << r.body;
    }
    auto delivered = sink.wait_delivered(ids.size());
    ASSERT_EQ(delivered.size(), ids.size());
    // Every sender has polled again since: still one message each.
    EXPECT_TRUE(wait_until([&] {
        for (const auto& id : ids) {
            for (const auto& n : a_.store().list_request_notifications(id)) {
                if (n.state != DeliveryState::sent) {
                    return false;
                }
            }
        }
        return true;
    }));
    sender_a.stop();
    sender_b.stop();
    std::multiset<std::string> recipients;
    for (const auto& message : sink.delivered()) {
        recipients.insert(message["rcpt_tos"][0].get<std::string>());
    }
    EXPECT_EQ(recipients.size(), ids.size());
    for (const auto& recipient : recipients) {
        EXPECT_EQ(recipients.count(recipient), 1U) << recipient;
    }
}

TEST_F(PostgresTwoServers, IdempotencyKeysHoldAcrossServers) {
    // 1,000 POSTs: 100 keys, each sent 10 times, to A and B in turn, from 8 threads at once.
    constexpr int kKeys = 100;
    constexpr int kRepeats = 10;
    constexpr int kThreads = 8;
    std::mutex mutex;
    std::map<std::string, std::set<std::string>> ids_by_key;
    std::atomic<int> failures{0};
    std::atomic<int> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&] {
            for (int n = next++; n < kKeys * kRepeats; n = next++) {
                const int key = n % kKeys;
                const HttpClient client = n % 2 == 0 ? a_.client() : b_.client();
                auto r = client.request(
                    "POST",
                    a_.base() + "/requests.json",
                    form({{"api_key", a_.client_key},
                          {"service_code", "171"},
                          {"description", "Katulamppu rikki, lähetys " + std::to_string(key)},
                          {"lat", "60.17"},
                          {"long", "24.94"}}),
                    {{"Content-Type", "application/x-www-form-urlencoded"},
                     {"Idempotency-Key", "key-" + std::to_string(key)}});
                // 409: the same key's first request is still being handled elsewhere.
                if (r.status == 409) {
                    continue;
                }
                if (r.status != 200) {
                    ++failures;
                    continue;
                }
                std::lock_guard lock(mutex);
                ids_by_key["key-" + std::to_string(key)].insert(
                    r.json()[0]["service_request_id"].get<std::string>());
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(failures.load(), 0);
    ASSERT_EQ(ids_by_key.size(), static_cast<std::size_t>(kKeys));
    for (const auto& [key, ids] : ids_by_key) {
        EXPECT_EQ(ids.size(), 1U) << key;
    }
    EXPECT_EQ(a_.stored_requests(), kKeys);
}

}  // namespace
}  // namespace open311::test
