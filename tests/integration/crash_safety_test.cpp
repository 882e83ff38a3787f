// Crash safety: the real open311d binary takes a stream of POSTs and is killed with SIGKILL at a
// random moment, several times. Every request it acknowledged must be there after the restart,
// intact (public record and personal data), and the database must pass PRAGMA integrity_check.
#include "catalogue/catalogue_file.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/child_process.hpp"
#include "support/server_fixture.hpp"
#include "util/embedded.hpp"
#include "workflow/keys.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <mutex>
#include <random>
#include <thread>

namespace open311::test {
namespace {

struct Acknowledged {
    std::string id;
    std::string description;
    std::string email;
};

struct Keys {
    std::string client;
    std::string staff;
};

/// Prepares a database with the demo catalogue and two keys, then closes it.
Keys prepare_database(const std::string& db) {
    store::SqliteStore store(db, "full");
    store.upsert_services(
        catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
    auto issue = [&store](const std::string& name, Role role) {
        ApiKey key;
        key.name = name;
        key.role = role;
        return workflow::issue_key(store, key).value_or("");
    };
    return Keys{issue("crash-client", Role::client), issue("crash-staff", Role::staff)};
}

std::unique_ptr<ChildProcess> start_server(const std::string& dir,
                                           const std::string& db,
                                           int round,
                                           std::uint16_t& port) {
    auto child = std::make_unique<ChildProcess>(
        std::vector<std::string>{OPEN311_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", db},
        std::vector<std::string>{},
        dir,
        "server-" + std::to_string(round));
    const auto line = child->wait_for_line("listening on", std::chrono::seconds(20));
    port = port_from_listen_line(line);
    return child;
}

std::string integrity_check(const std::string& db) {
    sqlite3* handle = nullptr;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        sqlite3_close(handle);
        return "cannot open";
    }
    std::string result;
    sqlite3_exec(
        handle,
        "PRAGMA integrity_check",
        [](void* out, int, char** values, char**) {
            auto& text = *static_cast<std::string*>(out);
            text += (text.empty() ? "" : "; ") + std::string(values[0] ? values[0] : "NULL");
            return 0;
        },
        &result,
        nullptr);
    sqlite3_close(handle);
    return result;
}

/// POSTs until `stop`; records each request the server answered with an id.
void submit_until_stopped(std::uint16_t port,
                          const std::string& key,
                          int round,
                          int worker,
                          const std::atomic<bool>& stop,
                          std::mutex& mutex,
                          std::vector<Acknowledged>& acknowledged) {
    HttpClient client(port);
    for (int n = 0; !stop; ++n) {
        const std::string tag =
            std::to_string(round) + "-" + std::to_string(worker) + "-" + std::to_string(n);
        const std::string description = "Crash test report " + tag + ": katuvalo ei pala";
        const std::string email = "citizen-" + tag + "@example.org";
        try {
            auto r = client.post_form("/open311/v2/requests.json",
                                      form({{"api_key", key},
                                            {"service_code", "171"},
                                            {"lat", "60.1699"},
                                            {"long", "24.9384"},
                                            {"description", description},
                                            {"email", email}}));
            if (r.status != 200) {
                continue;
            }
            auto j = nlohmann::json::parse(r.body, nullptr, false);
            if (j.is_array() && !j.empty() && j[0].contains("service_request_id")) {
                std::lock_guard lock(mutex);
                acknowledged.push_back(
                    {j[0]["service_request_id"].get<std::string>(), description, email});
            }
        } catch (const std::exception&) {
            // The server was killed mid-request: that answer was never acknowledged.
        }
    }
}

}  // namespace

TEST(CrashSafety, EveryAcknowledgedRequestSurvivesSigkill) {
    TempDir dir;
    const std::string db = dir.path() + "/crash.db";
    const Keys keys = prepare_database(db);
    ASSERT_FALSE(keys.client.empty());

    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> delay_ms(50, 300);
    std::vector<Acknowledged> acknowledged;
    std::mutex mutex;
    constexpr int kRounds = 4;
    constexpr int kClients = 3;

    for (int round = 0; round < kRounds; ++round) {
        std::uint16_t port = 0;
        auto server = start_server(dir.path(), db, round, port);
        ASSERT_NE(port, 0) << "the server did not start (round " << round << ")";

        std::atomic<bool> stop{false};
        std::vector<std::thread> clients;
        for (int w = 0; w < kClients; ++w) {
            clients.emplace_back([&, w] {
                submit_until_stopped(port, keys.client, round, w, stop, mutex, acknowledged);
            });
        }
        // The kill comes at a random moment after this round's first acknowledgement, so that a
        // slow machine (a server still warming up) cannot leave the whole test with nothing to
        // check.
        const auto before = [&] {
            std::lock_guard lock(mutex);
            return acknowledged.size();
        }();
        const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
        while (std::chrono::steady_clock::now() < give_up) {
            {
                std::lock_guard lock(mutex);
                if (acknowledged.size() > before) {
                    break;
                }
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
        const int status = server->kill_and_wait(SIGKILL);
        stop = true;
        for (auto& t : clients) {
            t.join();
        }
        EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        EXPECT_EQ(integrity_check(db), "ok") << "after round " << round;
    }
    ASSERT_GT(acknowledged.size(), 0U);

    // Restart and read every acknowledged request back through the staff API.
    std::uint16_t port = 0;
    auto server = start_server(dir.path(), db, kRounds, port);
    ASSERT_NE(port, 0);
    HttpClient client(port);
    for (const auto& a : acknowledged) {
        auto r =
            client.get("/admin/v1/requests/" + a.id, {{"Authorization", "Bearer " + keys.staff}});
        ASSERT_EQ(r.status, 200) << "acknowledged request " << a.id << " is missing";
        auto j = r.json();
        EXPECT_EQ(j["service_request_id"], a.id);
        EXPECT_EQ(j["description"], a.description);
        EXPECT_EQ(j["email"], a.email);
    }
    // No duplicates and nothing unacknowledged beyond what was in flight at each kill.
    auto list =
        client.get("/admin/v1/requests?page_size=1", {{"Authorization", "Bearer " + keys.staff}});
    ASSERT_EQ(list.status, 200) << list.body;
    const auto total = list.json()["total"].get<std::size_t>();
    EXPECT_GE(total, acknowledged.size());
    EXPECT_LE(total, acknowledged.size() + kRounds * kClients);
    server->kill_and_wait(SIGTERM);
    EXPECT_EQ(integrity_check(db), "ok");
}

}  // namespace open311::test
