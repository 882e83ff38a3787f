#include "api/guard/rate_limiter.hpp"

#include <gtest/gtest.h>

namespace open311::api {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, BurstThenRefillAtTheRate) {
    RateLimiter limiter;
    const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
    int retry = 0;
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(limiter.take("k", 60, 3, t0, retry)) << i;
    }
    EXPECT_FALSE(limiter.take("k", 60, 3, t0, retry));
    EXPECT_EQ(retry, 1);  // one token a second
    EXPECT_FALSE(limiter.take("k", 60, 3, t0 + 500ms, retry));
    EXPECT_TRUE(limiter.take("k", 60, 3, t0 + 1s, retry));
    // Never more than the burst, however long the pause.
    for (int i = 0; i < 3; ++i) {
        EXPECT_TRUE(limiter.take("k", 60, 3, t0 + 3600s, retry));
    }
    EXPECT_FALSE(limiter.take("k", 60, 3, t0 + 3600s, retry));
}

TEST(RateLimiter, RetryAfterForASlowRate) {
    RateLimiter limiter;
    const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
    int retry = 0;
    EXPECT_TRUE(limiter.take("slow", 2, 1, t0, retry));
    EXPECT_FALSE(limiter.take("slow", 2, 1, t0, retry));
    EXPECT_EQ(retry, 30);
}

TEST(RateLimiter, ZeroRateMeansNoLimitAndNoBucket) {
    RateLimiter limiter;
    int retry = 0;
    for (int i = 0; i < 1000; ++i) {
        EXPECT_TRUE(limiter.take("free", 0, 1, RateLimiter::Clock::now(), retry));
    }
    EXPECT_EQ(limiter.size(), 0U);
}

TEST(RateLimiter, AFloodOfDistinctClientsStaysBounded) {
    RateLimiter limiter;
    const auto t0 = RateLimiter::Clock::time_point{} + 1000s;
    int retry = 0;
    for (int i = 0; i < 200000; ++i) {
        limiter.take("ip:" + std::to_string(i), 10, 5, t0, retry);
    }
    EXPECT_LE(limiter.size(), 16 * RateLimiter::kMaxBucketsPerShard);
}

}  // namespace
}  // namespace open311::api
