#include "util/text.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace open311 {
namespace {

using Strings = std::vector<std::string>;

TEST(Text, TrimRemovesAsciiWhiteSpace) {
    EXPECT_EQ(trim("  \t\r\nabc def \n\v\f"), "abc def");
    EXPECT_EQ(trim("abc"), "abc");
    EXPECT_EQ(trim(""), "");
    EXPECT_EQ(trim(" \t\r\n "), "");
}

TEST(Text, TrimRemovesNoBreakSpace) {
    EXPECT_EQ(trim("\xC2\xA0kuoppa\xC2\xA0"), "kuoppa");
}

TEST(Text, TrimRemovesOtherUnicodeSpaces) {
    // U+2003 EM SPACE, U+3000 IDEOGRAPHIC SPACE, U+202F NARROW NO-BREAK SPACE, U+FEFF BOM.
    EXPECT_EQ(trim("\xE2\x80\x83x\xE3\x80\x80"), "x");
    EXPECT_EQ(trim("\xEF\xBB\xBFx\xE2\x80\xAF"), "x");
    EXPECT_EQ(trim("\xC2\xA0 \xE2\x80\x83"), "");
}

TEST(Text, TrimKeepsInnerSpacesAndNonSpaceMultibyteEnds) {
    EXPECT_EQ(trim(" a\xC2\xA0 b "), "a\xC2\xA0 b");
    EXPECT_EQ(trim(" \xC3\xA4iti\xC3\xA4 "), "\xC3\xA4iti\xC3\xA4");  // "äitiä"
}

TEST(Text, Utf8LengthCountsCodePoints) {
    EXPECT_EQ(utf8_length(""), std::optional<std::size_t>(0));
    EXPECT_EQ(utf8_length("abc"), std::optional<std::size_t>(3));
    EXPECT_EQ(utf8_length("\xC3\xA4\xC3\xB6"), std::optional<std::size_t>(2));   // äö
    EXPECT_EQ(utf8_length("\xE2\x82\xAC"), std::optional<std::size_t>(1));       // €
    EXPECT_EQ(utf8_length("\xF0\x9F\x98\x80!"), std::optional<std::size_t>(2));  // 😀!
}

TEST(Text, Utf8LengthRefusesInvalidSequences) {
    EXPECT_FALSE(utf8_length("\xFF").has_value());
    EXPECT_FALSE(utf8_length("a\x80").has_value());             // lone continuation byte
    EXPECT_FALSE(utf8_length("\xC3").has_value());              // truncated
    EXPECT_FALSE(utf8_length("\xE2\x82").has_value());          // truncated
    EXPECT_FALSE(utf8_length("\xC3(").has_value());             // bad continuation
    EXPECT_FALSE(utf8_length("\xED\xA0\x80").has_value());      // surrogate U+D800
    EXPECT_FALSE(utf8_length("\xF4\x90\x80\x80").has_value());  // beyond U+10FFFF
}

TEST(Text, Utf8LengthRefusesOverlongForms) {
    EXPECT_FALSE(utf8_length("\xC0\xAF").has_value());  // '/' in two bytes
    EXPECT_FALSE(utf8_length("\xC1\xBF").has_value());
    EXPECT_FALSE(utf8_length("\xE0\x80\xAF").has_value());      // '/' in three bytes
    EXPECT_FALSE(utf8_length("\xF0\x80\x80\xAF").has_value());  // '/' in four bytes
    EXPECT_FALSE(is_valid_utf8("\xC0\x80"));                    // overlong NUL
    EXPECT_TRUE(is_valid_utf8("\xC2\x80"));                     // smallest 2-byte form
}

TEST(Text, ContainsHtmlFindsTags) {
    EXPECT_TRUE(contains_html("<b>bold</b>"));
    EXPECT_TRUE(contains_html("end of paragraph</p>"));
    EXPECT_TRUE(contains_html("x <script src=x> y"));
    EXPECT_TRUE(contains_html("<br/>"));
    EXPECT_TRUE(contains_html("<img src=\"a.png\" />"));
}

TEST(Text, ContainsHtmlFindsComments) {
    EXPECT_TRUE(contains_html("<!-- -->"));
    EXPECT_TRUE(contains_html("text<!--hidden-->text"));
}

TEST(Text, ContainsHtmlAcceptsLoneAngleBrackets) {
    EXPECT_FALSE(contains_html("a < b"));
    EXPECT_FALSE(contains_html("5 > 3"));
    EXPECT_FALSE(contains_html("<3"));
    EXPECT_FALSE(contains_html("x<y"));
    EXPECT_FALSE(contains_html("<"));
    EXPECT_FALSE(contains_html(">"));
    EXPECT_FALSE(contains_html("plain text"));
    EXPECT_FALSE(contains_html(""));
}

TEST(Text, SplitListTrimsAndDropsEmptyParts) {
    EXPECT_EQ(split_list("a, b ,,c,"), (Strings{"a", "b", "c"}));
    EXPECT_EQ(split_list(""), Strings{});
    EXPECT_EQ(split_list(" , ,"), Strings{});
    EXPECT_EQ(split_list("single"), Strings{"single"});
}

TEST(Text, SplitListUsesGivenSeparator) {
    EXPECT_EQ(split_list("a;b,c;d", ';'), (Strings{"a", "b,c", "d"}));
}

TEST(Text, ParseDecimalAcceptsDotDecimals) {
    EXPECT_EQ(parse_decimal("60.1699"), std::optional<double>(60.1699));
    EXPECT_EQ(parse_decimal("-5.5"), std::optional<double>(-5.5));
    EXPECT_EQ(parse_decimal("+24.9"), std::optional<double>(24.9));
    EXPECT_EQ(parse_decimal("42"), std::optional<double>(42.0));
    EXPECT_EQ(parse_decimal("0"), std::optional<double>(0.0));
}

TEST(Text, ParseDecimalRefusesCommaSeparator) {
    EXPECT_FALSE(parse_decimal("1,5").has_value());
    EXPECT_FALSE(parse_decimal("60,1699").has_value());
}

TEST(Text, ParseDecimalRefusesNonNumbers) {
    EXPECT_FALSE(parse_decimal("").has_value());
    EXPECT_FALSE(parse_decimal("abc").has_value());
    EXPECT_FALSE(parse_decimal("-").has_value());
    EXPECT_FALSE(parse_decimal(".").has_value());
    EXPECT_FALSE(parse_decimal("1.2.3").has_value());
    EXPECT_FALSE(parse_decimal("--1").has_value());
    EXPECT_FALSE(parse_decimal(" 1").has_value());
    EXPECT_FALSE(parse_decimal("1 ").has_value());
}

TEST(Text, ParseDecimalRefusesExponentAndSpecialValues) {
    EXPECT_FALSE(parse_decimal("1e5").has_value());
    EXPECT_FALSE(parse_decimal("1E-3").has_value());
    EXPECT_FALSE(parse_decimal("inf").has_value());
    EXPECT_FALSE(parse_decimal("nan").has_value());
    EXPECT_FALSE(parse_decimal("0x10").has_value());
}

TEST(Text, ParseIntegerAcceptsDigits) {
    EXPECT_EQ(parse_integer("0"), std::optional<long long>(0));
    EXPECT_EQ(parse_integer("200"), std::optional<long long>(200));
    EXPECT_EQ(parse_integer("007"), std::optional<long long>(7));
}

TEST(Text, ParseIntegerRefusesNegativeFractionAndGarbage) {
    EXPECT_FALSE(parse_integer("-1").has_value());
    EXPECT_FALSE(parse_integer("1.5").has_value());
    EXPECT_FALSE(parse_integer("").has_value());
    EXPECT_FALSE(parse_integer("12abc").has_value());
    EXPECT_FALSE(parse_integer(" 12").has_value());
    EXPECT_FALSE(parse_integer("1e3").has_value());
    EXPECT_FALSE(parse_integer("99999999999999999999999").has_value());
}

TEST(Text, ToLowerIsAsciiOnly) {
    EXPECT_EQ(to_lower("In_Process"), "in_process");
    EXPECT_EQ(to_lower("\xC3\x84"), "\xC3\x84");  // Ä unchanged, bytes intact
}

}  // namespace
}  // namespace open311

namespace open311 {

TEST(Text, ContainsHtmlLeavesPlainTextAlone) {
    EXPECT_FALSE(contains_html("see <https://example.org/x> for a photo"));
    EXPECT_FALSE(contains_html("a<b and c>d"));
    EXPECT_FALSE(contains_html("temperature <5 and >3"));
    EXPECT_TRUE(contains_html("<img src=x onerror=alert(1)>"));
    EXPECT_TRUE(contains_html("<script async>"));
    EXPECT_TRUE(contains_html("<!-- hidden -->"));
}

TEST(Text, ContainsControlFindsFormattingCharacters) {
    EXPECT_TRUE(contains_control(std::string("a\0b", 3)));
    EXPECT_TRUE(contains_control("a\x1b[31mb"));
    EXPECT_TRUE(contains_control("a\x7f"));
    EXPECT_TRUE(contains_control("a\xEF\xBF\xBF"));
    EXPECT_FALSE(contains_control("line\r\nnext\tcolumn ä €"));
}

}  // namespace open311

namespace open311 {

TEST(Text, ShortenKeepsShortFirstLines) {
    EXPECT_EQ(shorten("Kuoppa kadulla", 60), "Kuoppa kadulla");
    EXPECT_EQ(shorten("Kuoppa kadulla\r\nToinen rivi", 60), "Kuoppa kadulla…");
}

TEST(Text, ShortenCutsAtAWordWithinTheLimit) {
    auto s = shorten(
        "Äänekäs ilmastointilaite hurisee yöllä pihalla ja herättää koko talon asukkaat", 30);
    EXPECT_EQ(s, "Äänekäs ilmastointilaite…");
    EXPECT_LE(utf8_length(s).value_or(999), 30U);
    auto long_word = shorten(std::string(100, 'a'), 10);
    EXPECT_EQ(utf8_length(long_word).value_or(0), 10U);
}

}  // namespace open311
