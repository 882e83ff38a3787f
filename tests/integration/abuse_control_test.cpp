// Abuse control: POST rate limits per API key and per client address (token buckets, 429 with
// Retry-After in the requested format), a key's own limit, trusted proxies for X-Forwarded-For,
// and the per-key usage counters the city reads through the admin API.
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

namespace open311::test {
namespace {

Response post_report(const TestServer& server,
                     const std::string& key,
                     const std::map<std::string, std::string>& headers = {},
                     const std::string& suffix = ".json") {
    auto all = headers;
    all["Content-Type"] = "application/x-www-form-urlencoded";
    return server.client().request("POST",
                                   server.base() + "/requests" + suffix,
                                   form({{"api_key", key},
                                         {"service_code", "171"},
                                         {"lat", "60.1699"},
                                         {"long", "24.9384"},
                                         {"description", "Roskakori on täynnä"}}),
                                   all);
}

}  // namespace

TEST(RateLimit, KeyBurstThen429WithRetryAfterInTheRequestedFormat) {
    TestServer server([](Config& c) {
        c.key_posts_per_minute = 1;
        c.key_burst = 3;
    });
    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(post_report(server, server.client_key).status, 200) << i;
    }
    auto json = post_report(server, server.client_key);
    EXPECT_EQ(json.status, 429);
    EXPECT_GE(std::stoi(json.header("Retry-After")), 1);
    auto j = json.json();
    ASSERT_TRUE(j.is_array() && !j.empty());
    EXPECT_EQ(j[0]["code"], 429);
    EXPECT_NE(j[0]["description"].get<std::string>().find("api_key"), std::string::npos);

    auto xml = post_report(server, server.client_key, {}, ".xml");
    EXPECT_EQ(xml.status, 429);
    auto doc = xml.xml();
    EXPECT_EQ(std::string(doc->child("errors").child("error").child_value("code")), "429");

    // Another key has its own bucket.
    const auto other = server.create_key("other-app", Role::client);
    EXPECT_EQ(post_report(server, other).status, 200);
}

TEST(RateLimit, AKeysOwnLimitOverridesTheDefault) {
    TestServer server([](Config& c) {
        c.key_posts_per_minute = 600;
        c.key_burst = 100;
    });
    ASSERT_TRUE(server.store().set_key_limits("test-client", KeyLimits{1, 1}));
    EXPECT_EQ(post_report(server, server.client_key).status, 200);
    EXPECT_EQ(post_report(server, server.client_key).status, 429);
    // Unset again: back to the default.
    ASSERT_TRUE(server.store().set_key_limits("test-client", KeyLimits{}));
    auto limits = server.store().find_key_limits("test-client");
    ASSERT_TRUE(limits.has_value());
    EXPECT_FALSE(limits->posts_per_minute.has_value());
    EXPECT_FALSE(server.store().set_key_limits("nobody", KeyLimits{}));
}

TEST(RateLimit, PerAddressLimitCoversEveryKey) {
    TestServer server([](Config& c) {
        c.ip_posts_per_minute = 1;
        c.ip_burst = 2;
    });
    const auto other = server.create_key("other-app", Role::client);
    EXPECT_EQ(post_report(server, server.client_key).status, 200);
    EXPECT_EQ(post_report(server, other).status, 200);
    auto third = post_report(server, other);
    EXPECT_EQ(third.status, 429);
    EXPECT_NE(third.body.find("address"), std::string::npos);
    // A spoofed X-Forwarded-For from an untrusted peer changes nothing.
    EXPECT_EQ(post_report(server, other, {{"X-Forwarded-For", "203.0.113.9"}}).status, 429);
    // GETs are not limited.
    EXPECT_EQ(server.client().get(server.base() + "/services.json").status, 200);
}

TEST(RateLimit, TrustedProxyForwardedForNamesTheClient) {
    TestServer server([](Config& c) {
        c.ip_posts_per_minute = 1;
        c.ip_burst = 1;
        c.trusted_proxies = {"127.0.0.0/8"};
    });
    EXPECT_EQ(post_report(server, server.client_key, {{"X-Forwarded-For", "203.0.113.5"}}).status,
              200);
    EXPECT_EQ(post_report(server, server.client_key, {{"X-Forwarded-For", "203.0.113.6"}}).status,
              200);
    // A client cannot escape by prepending its own entry: the right-most untrusted hop counts.
    EXPECT_EQ(
        post_report(server, server.client_key, {{"X-Forwarded-For", "198.51.100.1, 203.0.113.5"}})
            .status,
        429);
}

TEST(KeyUsage, AdminReadsPerKeyCounters) {
    TestServer server([](Config& c) {
        c.key_posts_per_minute = 1;
        c.key_burst = 2;
    });
    EXPECT_EQ(post_report(server, server.client_key).status, 200);
    EXPECT_EQ(post_report(server, server.client_key).status, 200);
    EXPECT_EQ(post_report(server, server.client_key).status, 429);
    auto bad =
        server.client().post_form(server.base() + "/requests.json",
                                  form({{"api_key", server.client_key}, {"service_code", "nope"}}));
    EXPECT_EQ(bad.status, 429);  // still limited: counted as rate limited

    auto r = server.client().get("/admin/v1/keys/test-client/usage",
                                 {{"Authorization", "Bearer " + server.admin_key}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["name"], "test-client");
    EXPECT_EQ(j["totals"]["created"], 2);
    EXPECT_EQ(j["totals"]["rate_limited"], 2);
    ASSERT_EQ(j["usage"].size(), 1U);
    EXPECT_EQ(j["usage"][0]["created"], 2);
    EXPECT_EQ(j["usage"][0]["day"].get<std::string>().size(), 10U);

    // Persisted: the store holds the same figures.
    auto stored = server.store().key_usage("test-client", 30);
    ASSERT_EQ(stored.size(), 1U);
    EXPECT_EQ(stored[0].created, 2);
}

TEST(KeyUsage, OnlyAdminKeysMayReadIt) {
    TestServer server;
    const std::string path = "/admin/v1/keys/test-client/usage";
    EXPECT_EQ(server.client().get(path).status, 401);
    EXPECT_EQ(server.client().get(path, {{"Authorization", "Bearer " + server.client_key}}).status,
              403);
    EXPECT_EQ(server.client().get(path, {{"Authorization", "Bearer " + server.staff_key}}).status,
              403);
    EXPECT_EQ(
        server.client()
            .get("/admin/v1/keys/nobody/usage", {{"Authorization", "Bearer " + server.admin_key}})
            .status,
        404);
    EXPECT_EQ(server.client()
                  .get(path + "?days=0", {{"Authorization", "Bearer " + server.admin_key}})
                  .status,
              400);
}

}  // namespace open311::test

namespace open311::test {

TEST(RateLimit, UpdatesShareTheAddressBucket) {
    TestServer server([](Config& c) {
        c.ip_posts_per_minute = 1;
        c.ip_burst = 1;
    });
    EXPECT_EQ(post_report(server, server.client_key).status, 200);
    auto update = server.client().post_form(
        server.base() + "/servicerequestupdates.json",
        form({{"api_key", server.client_key}, {"description", "Lisätietoa"}}));
    EXPECT_EQ(update.status, 429) << update.body;
    EXPECT_FALSE(update.header("Retry-After").empty());
}

}  // namespace open311::test
