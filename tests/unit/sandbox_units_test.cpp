// Units of `open311d sandbox` and of the settings issue 13 added: ISO 8601 durations, fault
// matching, moderation.new_requests, the profile's can_be_published default, and the rate
// limits of a demo instance.
#include "sandbox/clock.hpp"
#include "sandbox/faults.hpp"
#include "sandbox/sandbox.hpp"

#include "open311/config.hpp"

#include <gtest/gtest.h>

namespace open311::sandbox {
namespace {

TEST(SandboxDuration, ReadsDaysHoursMinutesSecondsAndWeeks) {
    EXPECT_EQ(parse_duration("PT2H"), 7200);
    EXPECT_EQ(parse_duration("P1D"), 86400);
    EXPECT_EQ(parse_duration("P1DT30M"), 86400 + 1800);
    EXPECT_EQ(parse_duration("PT1H2M3S"), 3723);
    EXPECT_EQ(parse_duration("P2W"), 14 * 86400);
    EXPECT_EQ(parse_duration("-PT30M"), -1800);
}

TEST(SandboxDuration, RefusesWhatIsNotAWholeSecondDuration) {
    for (const char* text : {"",
                             "P",
                             "PT",
                             "2H",
                             "PT2",
                             "P1M",
                             "P1Y",
                             "PT0.5S",
                             "P1DT",
                             "PTH",
                             "P1H",
                             "PT1D",
                             "P99999999999D",
                             "pt2h"}) {
        EXPECT_FALSE(parse_duration(text)) << text;
    }
}

TEST(SandboxFaults, MatchMethodAndPathWhateverTheBasePathAndSuffix) {
    Faults faults("/open311/v2");
    Fault f;
    ASSERT_TRUE(Faults::parse_match("POST /requests", f));
    f.status = 503;
    f.times = 2;
    faults.add(f);
    EXPECT_FALSE(faults.take("GET", "/open311/v2/requests.json"));
    EXPECT_FALSE(faults.take("POST", "/open311/v2/requests/abc.json"));
    auto first = faults.take("POST", "/open311/v2/requests.json?jurisdiction_id=x");
    ASSERT_TRUE(first);
    EXPECT_EQ(first->applied, 1);
    EXPECT_TRUE(faults.take("POST", "/open311/v2/requests.xml"));
    EXPECT_FALSE(faults.take("POST", "/open311/v2/requests.json"));
    EXPECT_TRUE(faults.list().empty());
}

TEST(SandboxFaults, AStarMatchesAnyTextAndAMissingMethodAnyMethod) {
    Faults faults("/open311/v2");
    Fault f;
    ASSERT_TRUE(Faults::parse_match("/requests/*", f));
    f.delay_ms = 10;
    f.times = 10;
    faults.add(f);
    EXPECT_TRUE(faults.take("GET", "/open311/v2/requests/1001.json"));
    EXPECT_TRUE(faults.take("DELETE", "/open311/v2/requests/x"));
    EXPECT_FALSE(faults.take("GET", "/open311/v2/services.json"));
    EXPECT_FALSE(Faults::parse_match("POST requests", f));
    EXPECT_FALSE(Faults::parse_match("", f));
}

TEST(SandboxListen, OnlyLoopbackAddressesPassWithoutAllowRemote) {
    EXPECT_TRUE(is_loopback("127.0.0.1"));
    EXPECT_TRUE(is_loopback("127.1.2.3"));
    EXPECT_TRUE(is_loopback("::1"));
    EXPECT_TRUE(is_loopback("localhost"));
    EXPECT_FALSE(is_loopback("0.0.0.0"));
    EXPECT_FALSE(is_loopback("::"));
    EXPECT_FALSE(is_loopback("192.168.1.10"));
    EXPECT_FALSE(is_loopback("localhost.example.org"));
}

TEST(ModerationSettings, NewRequestsArePendingUnlessSetToPublished) {
    EXPECT_EQ(load_config(std::nullopt, {}, {}).new_requests, NewRequests::pending);
    EXPECT_EQ(load_config(std::nullopt, {}, {{"api.profile", "helsinki"}}).new_requests,
              NewRequests::pending);
    EXPECT_EQ(
        load_config(std::nullopt, {"OPEN311_MODERATION_NEW_REQUESTS=published"}, {}).new_requests,
        NewRequests::published);
    EXPECT_THROW(load_config(std::nullopt, {}, {{"moderation.new_requests", "later"}}),
                 ConfigError);
}

TEST(ModerationSettings, CanBePublishedDefaultsByProfile) {
    EXPECT_TRUE(load_config(std::nullopt, {}, {}).profile.can_be_published_default);
    EXPECT_FALSE(load_config(std::nullopt, {}, {{"api.profile", "helsinki"}})
                     .profile.can_be_published_default);
    EXPECT_TRUE(load_config(std::nullopt,
                            {},
                            {{"api.profile", "helsinki"}, {"api.can_be_published_default", "true"}})
                    .profile.can_be_published_default);
}

TEST(ModerationSettings, ADemoInstanceHasNoPostRateLimitsUnlessSet) {
    const auto serve = load_config(std::nullopt, {}, {});
    EXPECT_GT(serve.ip_posts_per_minute, 0);
    EXPECT_GT(serve.key_posts_per_minute, 0);
    const auto demo = load_config(std::nullopt, {}, {{"database.demo", "true"}});
    EXPECT_EQ(demo.ip_posts_per_minute, 0);
    EXPECT_EQ(demo.key_posts_per_minute, 0);
    const auto limited = load_config(
        std::nullopt, {"OPEN311_LIMITS_IP_POSTS_PER_MINUTE=5"}, {{"database.demo", "true"}});
    EXPECT_EQ(limited.ip_posts_per_minute, 5);
    EXPECT_EQ(limited.key_posts_per_minute, 0);
}

}  // namespace
}  // namespace open311::sandbox
