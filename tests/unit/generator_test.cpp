#include "seed/generator.hpp"

#include "util/text.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace open311::seed {
namespace {

constexpr Timestamp kNow = 1763856000;  // 2025-11-23

bool any_closing(const std::string& detailed) {
    auto parts = split_list(detailed);
    return std::any_of(parts.begin(), parts.end(), detailed_status_closes);
}

TEST(Generator, RequestsLieInTheAreaAndTheTwoYearsAndArePublished) {
    Generator g({"171", "176"}, kNow);
    for (int i = 0; i < 2000; ++i) {
        auto r = g.next();
        ASSERT_TRUE(r.lat && r.lon);
        EXPECT_GE(*r.lat, 60.13);
        EXPECT_LE(*r.lat, 60.30);
        EXPECT_GE(*r.lon, 24.78);
        EXPECT_LE(*r.lon, 25.20);
        EXPECT_LE(r.requested_at, kNow);
        EXPECT_GT(r.requested_at, kNow - 2 * 365 * 86400);
        EXPECT_GE(r.updated_at, r.requested_at);
        EXPECT_LE(r.updated_at, kNow);
        EXPECT_TRUE(r.service_code == "171" || r.service_code == "176");
        EXPECT_EQ(r.state, ModerationState::published);
        EXPECT_EQ(r.id.size(), 20U);
        // The status agrees with the detailed status (a closing value means closed).
        EXPECT_EQ(r.status == "closed", any_closing(r.detailed_status)) << r.detailed_status;
    }
}

TEST(Generator, DescriptionsAreValidUtf8OfRealisticLength) {
    Generator g({"171"}, kNow);
    std::size_t shortest = 100000;
    std::size_t longest = 0;
    for (int i = 0; i < 2000; ++i) {
        auto text = g.description();
        auto length = utf8_length(text);
        ASSERT_TRUE(length.has_value()) << text;
        EXPECT_FALSE(contains_html(text));
        EXPECT_FALSE(contains_control(text));
        shortest = std::min(shortest, *length);
        longest = std::max(longest, *length);
    }
    EXPECT_GE(shortest, 40U);
    EXPECT_LE(longest, 1000U);
    EXPECT_GE(longest, 250U);  // some writers go on for several sentences
}

TEST(Generator, TheSameSeedGivesTheSameContent) {
    Generator a({"171", "176"}, kNow, 7);
    Generator b({"171", "176"}, kNow, 7);
    for (int i = 0; i < 50; ++i) {
        auto x = a.next();
        auto y = b.next();
        EXPECT_EQ(x.description, y.description);
        EXPECT_EQ(x.requested_at, y.requested_at);
        EXPECT_EQ(x.lat, y.lat);
        EXPECT_NE(x.id, y.id);  // ids stay random and unique
    }
}

TEST(Generator, RefusesAnEmptyCatalogue) {
    EXPECT_THROW(Generator({}, kNow), std::invalid_argument);
}

}  // namespace
}  // namespace open311::seed
