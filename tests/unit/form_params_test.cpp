#include "form/params.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace open311::form {
namespace {

using Strings = std::vector<std::string>;

TEST(PercentDecode, DecodesEscapes) {
    EXPECT_EQ(percent_decode("a%20b%2Fc", false), "a b/c");
    EXPECT_EQ(percent_decode("%C3%A4", false), "\xC3\xA4");
    EXPECT_EQ(percent_decode("%5b%5D", false), "[]");  // either case of hex digits
}

TEST(PercentDecode, PlusIsSpaceOnlyWhenAsked) {
    EXPECT_EQ(percent_decode("a+b", true), "a b");
    EXPECT_EQ(percent_decode("a+b", false), "a+b");
    EXPECT_EQ(percent_decode("a%2Bb", true), "a+b");
}

TEST(PercentDecode, KeepsMalformedEscapes) {
    EXPECT_EQ(percent_decode("100%", true), "100%");
    EXPECT_EQ(percent_decode("%zz", true), "%zz");
    EXPECT_EQ(percent_decode("%4", true), "%4");
    EXPECT_EQ(percent_decode("%%41", true), "%A");
}

TEST(PercentDecode, DecodesEscapeAtEnd) {
    EXPECT_EQ(percent_decode("x%41", true), "xA");
}

TEST(PercentEncode, RoundTripsThroughDecode) {
    const std::string text = "a b&c=d/\xC3\xA4+%";
    const auto encoded = percent_encode(text);
    EXPECT_EQ(encoded.find_first_of(" &=/+"), std::string::npos);
    EXPECT_EQ(percent_decode(encoded, true), text);
}

TEST(ParseForm, DecodesPairsInOrder) {
    auto p = parse_form("service_code=171&lat=60.17&long=24.94");
    ASSERT_EQ(p.items().size(), 3U);
    EXPECT_EQ(p.items()[0].first, "service_code");
    EXPECT_EQ(p.items()[2].first, "long");
    EXPECT_EQ(p.get("lat"), std::optional<std::string>("60.17"));
}

TEST(ParseForm, PlusIsSpace) {
    auto p = parse_form("description=Iso+kuoppa+tiell%C3%A4");
    EXPECT_EQ(p.get("description"), std::optional<std::string>("Iso kuoppa tiell\xC3\xA4"));
}

TEST(ParseForm, DecodesBracketsInKeys) {
    auto p = parse_form("attribute%5BWASTE_TYPE%5D=1&attribute%5BACCESS%5D%5B%5D=2");
    EXPECT_EQ(p.get("attribute[WASTE_TYPE]"), std::optional<std::string>("1"));
    EXPECT_EQ(p.get("attribute[ACCESS][]"), std::optional<std::string>("2"));
}

TEST(ParseForm, KeepsRepeatedKeys) {
    auto p = parse_form("media_url=http%3A%2F%2Fa&media_url=http%3A%2F%2Fb&media_url=");
    EXPECT_EQ(p.all("media_url"), (Strings{"http://a", "http://b"}));
    EXPECT_EQ(p.items().size(), 3U);
}

TEST(ParseForm, EmptyValueCountsAsAbsentButPresent) {
    auto p = parse_form("api_key=&jurisdiction_id=hel.fi&flag");
    EXPECT_TRUE(p.has("api_key"));
    EXPECT_FALSE(p.get("api_key").has_value());
    EXPECT_TRUE(p.has("flag"));
    EXPECT_FALSE(p.get("flag").has_value());
    EXPECT_FALSE(p.has("missing"));
}

TEST(ParseForm, GetSkipsEmptyRepeats) {
    auto p = parse_form("api_key=&api_key=secret");
    EXPECT_EQ(p.get("api_key"), std::optional<std::string>("secret"));
}

TEST(ParseForm, KeepsCrlfInValues) {
    auto p = parse_form("description=line+one%0D%0Aline+two");
    EXPECT_EQ(p.get("description"), std::optional<std::string>("line one\r\nline two"));
}

TEST(ParseForm, TrimsNamesButNotValues) {
    auto p = parse_form("+service_code+=+171+&%20title%20=x");
    EXPECT_EQ(p.get("service_code"), std::optional<std::string>(" 171 "));
    EXPECT_EQ(p.get("title"), std::optional<std::string>("x"));
}

TEST(ParseForm, ValueMayContainEqualsSign) {
    auto p = parse_form("token=a=b%3Dc");
    EXPECT_EQ(p.get("token"), std::optional<std::string>("a=b=c"));
}

TEST(ParseForm, EmptyInputAndStrayAmpersands) {
    EXPECT_TRUE(parse_form("").items().empty());
    auto p = parse_form("&&a=1&&");
    ASSERT_EQ(p.items().size(), 1U);
    EXPECT_EQ(p.get("a"), std::optional<std::string>("1"));
}

TEST(HeaderParameter, ReadsPlainAndQuotedValues) {
    EXPECT_EQ(header_parameter("multipart/form-data; boundary=abc123", "boundary"),
              std::optional<std::string>("abc123"));
    EXPECT_EQ(header_parameter("multipart/form-data; boundary=\"a b;c\"", "boundary"),
              std::optional<std::string>("a b;c"));
    EXPECT_EQ(header_parameter("text/plain; charset=utf-8; format=flowed", "format"),
              std::optional<std::string>("flowed"));
}

TEST(HeaderParameter, NameIsCaseInsensitiveInHeader) {
    EXPECT_EQ(header_parameter("multipart/form-data; BOUNDARY=xyz", "boundary"),
              std::optional<std::string>("xyz"));
}

TEST(HeaderParameter, MissingParameterIsNullopt) {
    EXPECT_FALSE(header_parameter("multipart/form-data", "boundary").has_value());
    EXPECT_FALSE(header_parameter("text/plain; charset=utf-8", "boundary").has_value());
    EXPECT_FALSE(
        header_parameter("multipart/form-data; boundary=\"unterminated", "boundary").has_value());
}

// --- multipart/form-data ---

const std::string kMultipartType = "multipart/form-data; boundary=XyZ";

std::string part(const std::string& disposition,
                 const std::string& data,
                 const std::string& extra_headers = "") {
    return "--XyZ\r\nContent-Disposition: form-data; " + disposition + "\r\n" + extra_headers +
           "\r\n" + data + "\r\n";
}

TEST(ParseMultipart, ReadsTextFields) {
    const std::string body = part("name=\"service_code\"", "171") +
                             part("name=\"description\"", "Rikki\r\nkaksi rivi\xC3\xA4") +
                             "--XyZ--\r\n";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->fields.get("service_code"), std::optional<std::string>("171"));
    EXPECT_EQ(m->fields.get("description"),
              std::optional<std::string>("Rikki\r\nkaksi rivi\xC3\xA4"));
    EXPECT_TRUE(m->files.empty());
}

TEST(ParseMultipart, ReadsFilePartWithContentType) {
    const std::string bytes("\x89PNG\r\n\x1A\n\0\x01", 10);
    const std::string body =
        part("name=\"media\"; filename=\"photo.png\"", bytes, "Content-Type: image/png\r\n") +
        "--XyZ--";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    ASSERT_EQ(m->files.size(), 1U);
    EXPECT_EQ(m->files[0].field, "media");
    EXPECT_EQ(m->files[0].filename, "photo.png");
    EXPECT_EQ(m->files[0].content_type, "image/png");
    EXPECT_EQ(m->files[0].data, bytes);
    EXPECT_TRUE(m->fields.items().empty());
}

TEST(ParseMultipart, ReadsFilePartWithoutContentType) {
    const std::string body = part("name=\"media\"; filename=\"x.jpg\"", "JPEGDATA") +
                             part("name=\"lat\"", "60.1") + "--XyZ--\r\n";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    ASSERT_EQ(m->files.size(), 1U);
    EXPECT_EQ(m->files[0].content_type, "");
    EXPECT_EQ(m->files[0].data, "JPEGDATA");
    EXPECT_EQ(m->fields.get("lat"), std::optional<std::string>("60.1"));
}

TEST(ParseMultipart, KeepsArrayFieldNames) {
    const std::string body = part("name=\"media[]\"; filename=\"a.jpg\"", "A") +
                             part("name=\"media[]\"; filename=\"b.jpg\"", "B") + "--XyZ--\r\n";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    ASSERT_EQ(m->files.size(), 2U);
    EXPECT_EQ(m->files[0].field, "media[]");
    EXPECT_EQ(m->files[1].filename, "b.jpg");
    EXPECT_EQ(m->files[1].data, "B");
}

TEST(ParseMultipart, TrimsFieldNames) {
    const std::string body = part("name=\"service_code \"", "171") + "--XyZ--\r\n";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->fields.get("service_code"), std::optional<std::string>("171"));
}

TEST(ParseMultipart, AcceptsQuotedBoundary) {
    const std::string body = part("name=\"a\"", "1") + "--XyZ--\r\n";
    auto m = parse_multipart(body, "multipart/form-data; boundary=\"XyZ\"");
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->fields.get("a"), std::optional<std::string>("1"));
}

TEST(ParseMultipart, IgnoresPreambleAndEpilogue) {
    const std::string body = "preamble text\r\n" + part("name=\"a\"", "1") + "--XyZ--\r\nepilogue";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->fields.items().size(), 1U);
}

TEST(ParseMultipart, MissingClosingBoundaryAtEndOfBody) {
    // The last delimiter lacks its closing "--": the complete parts are still read.
    const std::string body = part("name=\"a\"", "1") + "--XyZ";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->fields.get("a"), std::optional<std::string>("1"));
}

TEST(ParseMultipart, MissingClosingBoundaryWithTrailingCrlfIsTreatedTheSame) {
    // Same as above with the line break a client writes after every delimiter line.
    const std::string body = part("name=\"a\"", "1") + "--XyZ\r\n";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->fields.get("a"), std::optional<std::string>("1"));
}

TEST(ParseMultipart, TruncatedPartIsRefused) {
    const std::string body = "--XyZ\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nno end";
    EXPECT_FALSE(parse_multipart(body, kMultipartType).has_value());
}

TEST(ParseMultipart, GarbageBodyIsRefused) {
    EXPECT_FALSE(parse_multipart("this is not multipart at all", kMultipartType).has_value());
    EXPECT_FALSE(parse_multipart("", kMultipartType).has_value());
}

TEST(ParseMultipart, MissingOrEmptyBoundaryIsRefused) {
    const std::string body = part("name=\"a\"", "1") + "--XyZ--\r\n";
    EXPECT_FALSE(parse_multipart(body, "multipart/form-data").has_value());
    EXPECT_FALSE(parse_multipart(body, "multipart/form-data; boundary=").has_value());
    EXPECT_FALSE(parse_multipart(body, "multipart/form-data; boundary=Other").has_value());
}

TEST(ParseMultipart, DataMayContainBoundaryTextNotAtLineStart) {
    const std::string body = part("name=\"a\"", "x--XyZ y") + "--XyZ--\r\n";
    auto m = parse_multipart(body, kMultipartType);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m->fields.get("a"), std::optional<std::string>("x--XyZ y"));
}

}  // namespace
}  // namespace open311::form
