#include "format/datetime.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace open311::format {
namespace {

// Reference instants computed independently (Python calendar.timegm).
constexpr Timestamp k2010 = 1262304000;       // 2010-01-01T00:00:00Z
constexpr Timestamp kLeapDay = 1709210096;    // 2024-02-29T12:34:56Z
constexpr Timestamp kJuneNoon = 1717243200;   // 2024-06-01T12:00:00Z
constexpr Timestamp kMillennium = 946684799;  // 1999-12-31T23:59:59Z

TEST(Datetime, ToW3cFormatsEpochInUtcWithZ) {
    EXPECT_EQ(to_w3c(0), "1970-01-01T00:00:00Z");
}

TEST(Datetime, ToW3cFormatsKnownInstants) {
    EXPECT_EQ(to_w3c(k2010), "2010-01-01T00:00:00Z");
    EXPECT_EQ(to_w3c(kLeapDay), "2024-02-29T12:34:56Z");
    EXPECT_EQ(to_w3c(kMillennium), "1999-12-31T23:59:59Z");
}

TEST(Datetime, ToW3cHasNoFractionAndFixedLength) {
    const auto text = to_w3c(kJuneNoon);
    EXPECT_EQ(text.size(), 20U);
    EXPECT_EQ(text.find('.'), std::string::npos);
    EXPECT_EQ(text.back(), 'Z');
}

TEST(Datetime, ParseW3cAcceptsZulu) {
    EXPECT_EQ(parse_w3c("2010-01-01T00:00:00Z"), std::optional<Timestamp>(k2010));
    EXPECT_EQ(parse_w3c("2024-02-29T12:34:56Z"), std::optional<Timestamp>(kLeapDay));
}

TEST(Datetime, ParseW3cAppliesPositiveOffset) {
    // 15:00 in Helsinki summer time (+03:00) is 12:00 UTC.
    EXPECT_EQ(parse_w3c("2024-06-01T15:00:00+03:00"), std::optional<Timestamp>(kJuneNoon));
}

TEST(Datetime, ParseW3cAppliesNegativeOffset) {
    EXPECT_EQ(parse_w3c("2024-06-01T07:00:00-05:00"), std::optional<Timestamp>(kJuneNoon));
}

TEST(Datetime, ParseW3cOffsetCrossesMidnight) {
    // 2024-06-02T02:00:00+14:00 is 2024-06-01T12:00:00Z.
    EXPECT_EQ(parse_w3c("2024-06-02T02:00:00+14:00"), std::optional<Timestamp>(kJuneNoon));
}

TEST(Datetime, ParseW3cAcceptsFractionalSecondsAndDropsThem) {
    EXPECT_EQ(parse_w3c("2024-06-01T12:00:00.5Z"), std::optional<Timestamp>(kJuneNoon));
    EXPECT_EQ(parse_w3c("2024-06-01T15:00:00.123456+03:00"), std::optional<Timestamp>(kJuneNoon));
}

TEST(Datetime, ParseW3cRefusesEmptyFraction) {
    EXPECT_FALSE(parse_w3c("2024-06-01T12:00:00.Z").has_value());
}

TEST(Datetime, ParseW3cRefusesMissingOffset) {
    EXPECT_FALSE(parse_w3c("2024-06-01T12:00:00").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01T12:00:00.000").has_value());
}

TEST(Datetime, ParseW3cRefusesOffsetWithoutColon) {
    EXPECT_FALSE(parse_w3c("2024-06-01T15:00:00+0300").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01T15:00:00+03").has_value());
}

TEST(Datetime, ParseW3cRefusesSpaceInsteadOfT) {
    EXPECT_FALSE(parse_w3c("2024-06-01 12:00:00Z").has_value());
}

TEST(Datetime, ParseW3cRefusesImpossibleDates) {
    EXPECT_FALSE(parse_w3c("2024-02-30T00:00:00Z").has_value());
    EXPECT_FALSE(parse_w3c("2023-02-29T00:00:00Z").has_value());  // not a leap year
    EXPECT_FALSE(parse_w3c("2024-13-01T00:00:00Z").has_value());
    EXPECT_FALSE(parse_w3c("2024-04-31T00:00:00Z").has_value());
    EXPECT_FALSE(parse_w3c("2024-00-10T00:00:00Z").has_value());
}

TEST(Datetime, ParseW3cAcceptsLeapDayOfCenturyLeapYear) {
    EXPECT_TRUE(parse_w3c("2000-02-29T00:00:00Z").has_value());
    EXPECT_FALSE(parse_w3c("2100-02-29T00:00:00Z").has_value());
}

TEST(Datetime, ParseW3cRefusesImpossibleTimes) {
    EXPECT_FALSE(parse_w3c("2024-06-01T24:00:00Z").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01T12:60:00Z").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01T12:00:00+15:00").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01T12:00:00+03:60").has_value());
}

TEST(Datetime, ParseW3cRefusesGarbageAndTrailingText) {
    EXPECT_FALSE(parse_w3c("").has_value());
    EXPECT_FALSE(parse_w3c("yesterday").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01T12:00:00Zjunk").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01T12:00:00+03:00x").has_value());
    EXPECT_FALSE(parse_w3c("2024-6-01T12:00:00Z").has_value());
    EXPECT_FALSE(parse_w3c("2024-06-01t12:00:00z").has_value());
}

TEST(Datetime, ParseW3cRoundTripsToW3c) {
    for (Timestamp t : {Timestamp{0}, k2010, kLeapDay, kJuneNoon, kMillennium}) {
        EXPECT_EQ(parse_w3c(to_w3c(t)), std::optional<Timestamp>(t)) << to_w3c(t);
    }
}

TEST(Datetime, EndOfDayIsFirstSecondOfNextDay) {
    EXPECT_EQ(end_of_day("2024-01-01"), std::optional<Timestamp>(1704153600));  // 2024-01-02T00:00Z
    EXPECT_EQ(end_of_day("2024-02-29"),
              std::optional<Timestamp>(kLeapDay - (12 * 3600 + 34 * 60 + 56) + 86400));
    EXPECT_EQ(end_of_day("1999-12-31"), std::optional<Timestamp>(kMillennium + 1));
}

TEST(Datetime, EndOfDayRefusesInvalidDates) {
    EXPECT_FALSE(end_of_day("2024-02-30").has_value());
    EXPECT_FALSE(end_of_day("2024-1-01").has_value());
    EXPECT_FALSE(end_of_day("2024-01-01T00:00:00Z").has_value());
    EXPECT_FALSE(end_of_day("").has_value());
    EXPECT_FALSE(end_of_day("tomorrow!!").has_value());
}

TEST(Datetime, ToDateIsUtcCalendarDate) {
    EXPECT_EQ(to_date(kLeapDay), "2024-02-29");
    EXPECT_EQ(to_date(kMillennium), "1999-12-31");
    EXPECT_EQ(to_date(kMillennium + 1), "2000-01-01");
}

TEST(Datetime, ToDateAndEndOfDayAgree) {
    // The last second of a day still belongs to it; end_of_day is the first that does not.
    const auto end = end_of_day("2024-02-29");
    ASSERT_TRUE(end.has_value());
    EXPECT_EQ(to_date(*end - 1), "2024-02-29");
    EXPECT_EQ(to_date(*end), "2024-03-01");
}

}  // namespace
}  // namespace open311::format
