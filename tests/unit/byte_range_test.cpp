#include "api/core/byte_range.hpp"

#include <gtest/gtest.h>

namespace open311::api {
namespace {

using Kind = RangeRequest::Kind;

TEST(ParseRange, ClosedOpenAndSuffixRanges) {
    auto r = parse_range("bytes=0-99", 1000);
    EXPECT_EQ(r.kind, Kind::partial);
    EXPECT_EQ(r.range.first, 0U);
    EXPECT_EQ(r.range.last, 99U);
    r = parse_range("bytes=900-", 1000);
    EXPECT_EQ(r.range.first, 900U);
    EXPECT_EQ(r.range.last, 999U);
    r = parse_range("bytes=-100", 1000);
    EXPECT_EQ(r.range.first, 900U);
    EXPECT_EQ(r.range.length(), 100U);
    r = parse_range("bytes=990-5000", 1000);  // clamped to the end
    EXPECT_EQ(r.range.last, 999U);
    r = parse_range("bytes=-5000", 1000);
    EXPECT_EQ(r.range.first, 0U);
}

TEST(ParseRange, UnsatisfiableRanges) {
    EXPECT_EQ(parse_range("bytes=1000-", 1000).kind, Kind::unsatisfiable);
    EXPECT_EQ(parse_range("bytes=-0", 1000).kind, Kind::unsatisfiable);
}

TEST(ParseRange, InvalidOrMultipleRangesMeanWhole) {
    for (const char* header : {"",
                               "bytes=",
                               "items=0-1",
                               "bytes=5-1",
                               "bytes=a-b",
                               "bytes=0-1,5-6",
                               "bytes=--1",
                               "bytes=18446744073709551616-"}) {
        EXPECT_EQ(parse_range(header, 1000).kind, Kind::whole) << header;
    }
}

}  // namespace
}  // namespace open311::api
