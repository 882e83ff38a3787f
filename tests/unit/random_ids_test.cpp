// Request ids: 12 characters of lowercase base32, never repeated within a run or across
// threads, made without the CSPRNG's per-call system call.
#include "util/random.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace open311 {
namespace {

bool base32(const std::string& id) {
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '2' && c <= '7');
    });
}

TEST(RequestIds, AreTwelveBase32CharactersAndUniqueAcrossThreads) {
    constexpr int kPerThread = 20000;
    std::vector<std::vector<std::string>> made(4);
    std::vector<std::thread> threads;
    for (auto& ids : made) {
        threads.emplace_back([&ids] {
            for (int i = 0; i < kPerThread; ++i) {
                ids.push_back(new_request_id());
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    std::set<std::string> all;
    for (const auto& ids : made) {
        for (const auto& id : ids) {
            ASSERT_EQ(id.size(), 12U) << id;
            ASSERT_TRUE(base32(id)) << id;
            all.insert(id);
        }
    }
    EXPECT_EQ(all.size(), made.size() * kPerThread);
}

}  // namespace
}  // namespace open311
