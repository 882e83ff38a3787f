// The server on PostgreSQL: the API answers from it, and a database that cannot be reached is a
// 503 in the requested format, never a crash or a hang; the server recovers by itself.
#include "support/postgres_scratch.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

namespace open311::test {
namespace {

TEST(PostgresServer, ServesTheApiFromPostgres) {
    PostgresSchema schema;
    TestServer server([&](Config& c) { c.db_path = schema.url(); });
    auto client = server.client();
    const auto id = server.submit_published();
    auto one = client.get(server.base() + "/requests/" + id + ".json");
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.json()[0]["service_request_id"], id);
    auto list = client.get(server.base() + "/requests.xml");
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.xml()
                  ->select_node("/service_requests/request/service_request_id")
                  .node()
                  .text()
                  .as_string(),
              id);
    auto services = client.get(server.base() + "/services.json");
    ASSERT_EQ(services.status, 200);
    EXPECT_FALSE(services.json().empty());
}

TEST(PostgresServer, AnUnreachableDatabaseIsA503InTheRequestedFormatUntilItIsBack) {
    PostgresDatabase database;
    TestServer server([&](Config& c) { c.db_path = database.url(); });
    auto client = server.client();
    const auto first = server.submit_published();
    const auto second = server.submit_published();

    // Nobody may connect, and every connection there is ends: a database gone away.
    PostgresDatabase::admin("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS false");
    PostgresDatabase::admin(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
        "WHERE datname = '" +
        database.name() + "'");
    auto json = client.get(server.base() + "/requests/" + first + ".json");
    EXPECT_EQ(json.status, 503) << json.body;
    EXPECT_EQ(json.header("Retry-After"), "5");
    EXPECT_EQ(json.json()[0]["code"], 503);
    auto xml = client.get(server.base() + "/requests/" + second + ".xml");
    EXPECT_EQ(xml.status, 503) << xml.body;
    EXPECT_EQ(xml.xml()->select_node("/errors/error/code").node().text().as_int(), 503);
    auto post = client.post_form(server.base() + "/requests.json",
                                 form({{"api_key", server.client_key},
                                       {"service_code", "171"},
                                       {"description", "A broken street light at the corner"},
                                       {"lat", "60.17"},
                                       {"long", "24.94"}}));
    EXPECT_EQ(post.status, 503) << post.body;

    // Back: the next requests open new connections.
    PostgresDatabase::admin("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS true");
    auto again = client.get(server.base() + "/requests/" + first + ".json");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(again.json()[0]["service_request_id"], first);
}

}  // namespace
}  // namespace open311::test
