// POST rate limits of a local instance (issue 13): 200 POSTs in a row from one address with
// one key all succeed under `open311d sandbox` and `serve --demo`; `serve` without --demo
// still applies its limits. `serve --demo` runs the real binary, as a developer starts it.
#include "sandbox/sandbox.hpp"
#include "support/child_process.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>
#include <vector>

namespace open311::test::local_post_limits {
namespace {

constexpr const char* kBase = "/open311/v2";

std::vector<std::pair<std::string, std::string>> new_request(const std::string& key, int n) {
    return {{"api_key", key},
            {"service_code", "171"},
            {"lat", "60.1699"},
            {"long", "24.9384"},
            {"description", "Monta ilmoitusta peräkkäin, numero " + std::to_string(n)}};
}

/// POSTs `n` requests in a row from one address with one key; returns the statuses seen.
std::set<int> post_many(const HttpClient& http, const std::string& key, int n) {
    std::set<int> statuses;
    for (int i = 0; i < n; ++i) {
        const auto fields = new_request(key, i);
        statuses.insert(http.post_form(std::string(kBase) + "/requests.json", form(fields)).status);
    }
    return statuses;
}

TEST(LocalPostLimits, TwoHundredPostsInARowSucceedUnderSandbox) {
    sandbox::SandboxOptions o;
    o.listen = "127.0.0.1:0";
    o.log_level = "warn";
    sandbox::Sandbox box(o);
    box.start();
    EXPECT_EQ(post_many(HttpClient(box.port()), "sandbox-client-key", 200), std::set<int>{200});
}

TEST(LocalPostLimits, ServeDemoHasNoPostRateLimitsButServeKeepsThem) {
    {
        // The limits `serve` starts with when neither --demo nor a setting changes them.
        const auto defaults = load_config(std::nullopt, {}, {});
        TestServer plain([&defaults](Config& c) {
            c.ip_posts_per_minute = defaults.ip_posts_per_minute;
            c.ip_burst = defaults.ip_burst;
            c.key_posts_per_minute = defaults.key_posts_per_minute;
            c.key_burst = defaults.key_burst;
        });
        const auto statuses = post_many(plain.client(), plain.client_key, 200);
        EXPECT_TRUE(statuses.count(429) == 1) << "serve without --demo applies its limits";
    }
    TempDir dir;
    const std::string db = dir.path() + "/demo.db";
    // A key made before the server starts, as a developer would.
    ChildProcess keys(
        {OPEN311_BINARY, "keys", "create", "--name", "app", "--role", "client", "--db", db},
        {},
        dir.path(),
        "keys");
    ASSERT_EQ(keys.wait(), 0) << keys.err();
    std::string secret;
    {
        std::ifstream out(dir.path() + "/keys.stdout");
        for (std::string line; std::getline(out, line);) {
            if (!line.empty()) {
                secret = line;
            }
        }
    }
    ASSERT_FALSE(secret.empty());
    ChildProcess serve({OPEN311_BINARY, "serve", "--demo", "--listen", "127.0.0.1:0", "--db", db},
                       {},
                       dir.path(),
                       "serve");
    const auto line = serve.wait_for_line("listening on", std::chrono::seconds(30));
    const auto port = port_from_listen_line(line);
    ASSERT_NE(port, 0) << serve.err();
    EXPECT_EQ(post_many(HttpClient(port), secret, 200), std::set<int>{200});
    EXPECT_EQ(serve.terminate(), 0);
}

}  // namespace
}  // namespace open311::test::local_post_limits
