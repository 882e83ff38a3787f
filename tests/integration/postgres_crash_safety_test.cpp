// Crash safety on PostgreSQL: two open311d processes share a database and take a stream of
// POSTs; one is killed with SIGKILL. Every request either acknowledged is there afterwards,
// intact, read through the server that survived.
#include "catalogue/catalogue_file.hpp"
#include "support/child_process.hpp"
#include "support/postgres_scratch.hpp"
#include "support/server_fixture.hpp"
#include "util/embedded.hpp"
#include "workflow/keys.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <random>
#include <sys/wait.h>
#include <thread>

namespace open311::test {
namespace {

struct Acknowledged {
    std::string id;
    std::string description;
    std::string email;
};

std::unique_ptr<ChildProcess> start_server(const std::string& dir,
                                           const std::string& url,
                                           const std::string& name,
                                           std::uint16_t& port) {
    auto child = std::make_unique<ChildProcess>(
        std::vector<std::string>{OPEN311_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", url},
        std::vector<std::string>{},
        dir,
        name);
    port = port_from_listen_line(child->wait_for_line("listening on", std::chrono::seconds(20)));
    return child;
}

TEST(PostgresCrashSafety, EveryAcknowledgedRequestSurvivesSigkillOfOneServer) {
    TempDir dir;
    PostgresSchema schema;
    std::string client_key;
    std::string staff_key;
    {
        Config config;
        config.db_path = schema.url();
        auto store = make_store(config);
        store->upsert_services(
            catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
        ApiKey client{};
        client.name = "crash-client";
        client.role = Role::client;
        client_key = workflow::issue_key(*store, client).value_or("");
        ApiKey staff{};
        staff.name = "crash-staff";
        staff.role = Role::staff;
        staff_key = workflow::issue_key(*store, staff).value_or("");
    }
    std::uint16_t port_a = 0;
    std::uint16_t port_b = 0;
    auto a = start_server(dir.path(), schema.url(), "server-a", port_a);
    auto b = start_server(dir.path(), schema.url(), "server-b", port_b);
    ASSERT_NE(port_a, 0);
    ASSERT_NE(port_b, 0);

    std::vector<Acknowledged> acknowledged;
    std::mutex mutex;
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int w = 0; w < 4; ++w) {
        clients.emplace_back([&, w] {
            HttpClient client(w % 2 == 0 ? port_a : port_b);
            for (int n = 0; !stop; ++n) {
                const std::string tag = std::to_string(w) + "-" + std::to_string(n);
                const std::string description = "Crash test report " + tag + ": katuvalo ei pala";
                const std::string email = "citizen-" + tag + "@example.org";
                try {
                    auto r = client.post_form("/open311/v2/requests.json",
                                              form({{"api_key", client_key},
                                                    {"service_code", "171"},
                                                    {"lat", "60.1699"},
                                                    {"long", "24.9384"},
                                                    {"description", description},
                                                    {"email", email}}));
                    auto j = nlohmann::json::parse(r.body, nullptr, false);
                    if (r.status == 200 && j.is_array() && !j.empty() &&
                        j[0].contains("service_request_id")) {
                        std::lock_guard lock(mutex);
                        acknowledged.push_back(
                            {j[0]["service_request_id"].get<std::string>(), description, email});
                    }
                } catch (const std::exception&) {
                    // The server was killed mid-request: that answer was never acknowledged.
                }
            }
        });
    }
    // The kill comes at a random moment after the first acknowledgement, so that a slow
    // machine cannot leave the test with nothing to check.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    while (std::chrono::steady_clock::now() < give_up) {
        {
            std::lock_guard lock(mutex);
            if (!acknowledged.empty()) {
                break;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    std::mt19937 random(std::random_device{}());
    std::this_thread::sleep_for(std::chrono::milliseconds(
        std::uniform_int_distribution<int>(200, 500)(random)));  // when to kill, not a check
    const int status = a->kill_and_wait(SIGKILL);
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // B keeps taking POSTs
    stop = true;
    for (auto& t : clients) {
        t.join();
    }
    EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
    ASSERT_GT(acknowledged.size(), 0U);

    HttpClient survivor(port_b);
    for (const auto& ack : acknowledged) {
        auto r = survivor.get("/admin/v1/requests/" + ack.id,
                              {{"Authorization", "Bearer " + staff_key}});
        ASSERT_EQ(r.status, 200) << "acknowledged request " << ack.id << " is missing";
        auto j = r.json();
        EXPECT_EQ(j["description"], ack.description);
        EXPECT_EQ(j["email"], ack.email);
    }
    auto list =
        survivor.get("/admin/v1/requests?page_size=1", {{"Authorization", "Bearer " + staff_key}});
    ASSERT_EQ(list.status, 200) << list.body;
    const auto total = list.json()["total"].get<std::size_t>();
    EXPECT_GE(total, acknowledged.size());
    EXPECT_LE(total, acknowledged.size() + 2);  // at most what was in flight on A at the kill
    EXPECT_EQ(b->terminate(), 0);
}

}  // namespace
}  // namespace open311::test
