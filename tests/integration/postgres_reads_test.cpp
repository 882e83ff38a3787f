// On PostgreSQL no I/O thread waits on the database: a read that waits for a lock (or a slow
// query) waits on a worker, and the other connections of the same I/O thread are answered
// meanwhile. The server runs one I/O thread, so a read that blocked it would stall them all.
#include "support/postgres_scratch.hpp"
#include "support/server_fixture.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <future>

namespace open311::test {
namespace {

/// Server connections of `schema` that wait for a lock.
std::int64_t waiting_on_locks(const PostgresSchema& schema) {
    store::pg::Connection c(postgres_server_url());
    return c
        .first(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = $1 AND wait_event_type = 'Lock'",
            store::pg::read_int64,
            schema.name())
        .value_or(0);
}

TEST(PostgresReads, AReadWaitingOnTheDatabaseStallsNoOtherConnection) {
    PostgresSchema schema;
    TestServer server([&](Config& c) {
        c.db_path = schema.url();
        c.io_threads = 1;
    });
    const auto id = server.submit_published();

    // Another session holds the requests table: every read of it waits until it lets go.
    store::pg::Connection holder(schema.url());
    holder.exec("BEGIN; LOCK TABLE requests IN ACCESS EXCLUSIVE MODE");
    auto blocked = std::async(std::launch::async, [&] {
        return server.client().get(server.base() + "/requests/" + id + ".json");
    });
    ASSERT_TRUE(wait_until([&] { return waiting_on_locks(schema) > 0; }));

    // Meanwhile other connections get their answers: liveness, discovery, a preflight.
    auto health = std::async(std::launch::async, [&] { return server.client().get("/healthz"); });
    auto discovery = std::async(
        std::launch::async, [&] { return server.client().get(server.base() + "/discovery.json"); });
    auto options = std::async(std::launch::async, [&] {
        return server.client().request("OPTIONS", server.base() + "/requests.json");
    });
    // Bounded so that a stalled server fails the test instead of hanging it.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    const bool answered = health.wait_until(deadline) == std::future_status::ready &&
                          discovery.wait_until(deadline) == std::future_status::ready &&
                          options.wait_until(deadline) == std::future_status::ready;
    const bool still_blocked =
        blocked.wait_for(std::chrono::seconds(0)) == std::future_status::timeout;
    holder.exec("ROLLBACK");

    EXPECT_TRUE(answered) << "a read waiting on the database held up the I/O thread";
    EXPECT_TRUE(still_blocked);
    auto h = health.get();
    EXPECT_EQ(h.status, 200);
    EXPECT_EQ(h.json()["status"], "ok");
    auto d = discovery.get();
    EXPECT_EQ(d.status, 200);
    EXPECT_TRUE(d.json().contains("endpoints")) << d.body;
    EXPECT_EQ(options.get().status, 204);
    // Once the lock is gone, the waiting read gets its answer.
    auto r = blocked.get();
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()[0]["service_request_id"], id);
}

TEST(PostgresReads, ReadsAnsweredOnWorkersMatchTheOnesFromMemory) {
    PostgresSchema schema;
    TestServer server([&](Config& c) {
        c.db_path = schema.url();
        c.io_threads = 1;
    });
    const auto id = server.submit_published();
    auto client = server.client();
    // Asked three times: rendered, kept by the list cache, then answered from it.
    std::vector<Response> lists;
    for (int i = 0; i < 3; ++i) {
        lists.push_back(client.get(server.base() + "/requests.json"));
        ASSERT_EQ(lists.back().status, 200) << lists.back().body;
        EXPECT_EQ(lists.back().json()[0]["service_request_id"], id);
    }
    EXPECT_EQ(lists[0].body, lists[2].body);
    for (int i = 0; i < 2; ++i) {
        auto services = client.get(server.base() + "/services.xml");
        ASSERT_EQ(services.status, 200) << services.body;
        EXPECT_TRUE(services.xml()->select_node("/services/service/service_code"));
        auto definition = client.get(server.base() + "/services/no-such-service.json");
        EXPECT_EQ(definition.status, 404) << definition.body;
    }
    auto head = client.request("HEAD", server.base() + "/requests/" + id + ".json");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
}

}  // namespace
}  // namespace open311::test
