// The public list cache serves an answer again only while nothing was written and for at most
// its lifetime, and stays bounded.
#include "api/core/list_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace open311::api {
namespace {

using namespace std::chrono_literals;

HttpResponse answer(const std::string& body, int status = 200) {
    HttpResponse r;
    r.status = status;
    r.body = body;
    r.headers.emplace_back("X-Total-Count", "1");
    return r;
}

/// Offers the answer twice: only a list asked for again is kept.
void keep(ListCache& cache,
          const std::string& key,
          std::uint64_t generation,
          ListCache::Clock::time_point at,
          const HttpResponse& response) {
    cache.keep(key, generation, at, response);
    cache.keep(key, generation, at, response);
}

TEST(ListCache, KeepsAListOnlyWhenItIsAskedForAgain) {
    ListCache cache;
    const auto t0 = ListCache::Clock::now();
    cache.keep("json /requests.json?lat=60.1&long=24.9&radius=500", 7, t0, answer("[1]"));
    EXPECT_FALSE(cache.find("json /requests.json?lat=60.1&long=24.9&radius=500", 7, t0));
    cache.keep("json /requests.json?lat=60.1&long=24.9&radius=500", 7, t0, answer("[1]"));
    EXPECT_TRUE(cache.find("json /requests.json?lat=60.1&long=24.9&radius=500", 7, t0));
}

TEST(ListCache, ServesTheSameAnswerWhileNothingWasWritten) {
    ListCache cache;
    const auto t0 = ListCache::Clock::now();
    keep(cache, "json /requests.json", 7, t0, answer("[1]"));
    auto hit = cache.find("json /requests.json", 7, t0 + 500ms);
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->body, "[1]");
    ASSERT_EQ(hit->headers.size(), 1U);
    EXPECT_EQ(hit->headers[0].second, "1");
    EXPECT_FALSE(cache.find("xml /requests.json", 7, t0 + 500ms).has_value());
}

TEST(ListCache, AWriteOrTheLifetimeEndsAnEntry) {
    ListCache cache;
    const auto t0 = ListCache::Clock::now();
    keep(cache, "k", 7, t0, answer("[1]"));
    EXPECT_FALSE(cache.find("k", 8, t0 + 10ms).has_value());
    EXPECT_FALSE(cache.find("k", 7, t0 + ListCache::kLifetime + 1ms).has_value());
}

TEST(ListCache, KeepsOnlySuccessfulAnswersOfBoundedSize) {
    ListCache cache;
    const auto t0 = ListCache::Clock::now();
    keep(cache, "bad", 1, t0, answer("[{\"code\":400}]", 400));
    EXPECT_FALSE(cache.find("bad", 1, t0).has_value());
    keep(cache, "huge", 1, t0, answer(std::string(ListCache::kMaxBodyBytes + 1, 'x')));
    EXPECT_FALSE(cache.find("huge", 1, t0).has_value());
}

TEST(ListCache, StaysBoundedUnderManyDistinctQueries) {
    ListCache cache;
    const auto t0 = ListCache::Clock::now();
    for (std::size_t i = 0; i < 3 * ListCache::kMaxEntries; ++i) {
        keep(cache, "q" + std::to_string(i), 1, t0, answer("[]"));
    }
    std::size_t kept = 0;
    for (std::size_t i = 0; i < 3 * ListCache::kMaxEntries; ++i) {
        kept += cache.find("q" + std::to_string(i), 1, t0).has_value() ? 1 : 0;
    }
    EXPECT_LE(kept, ListCache::kMaxEntries);
    EXPECT_TRUE(cache.find("q" + std::to_string(3 * ListCache::kMaxEntries - 1), 1, t0));
}

}  // namespace
}  // namespace open311::api
