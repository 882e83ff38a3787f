// Parameters that cannot be decoded as sent: form::Params records them by name, and
// validation turns each into one error naming it. Also the media_url image rule.
#include "form/params.hpp"
#include "validate/fields.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace open311::form::malformed_test {  // its own: unity builds share anonymous namespaces
namespace {

using Strings = std::vector<std::string>;

Strings malformed_names(const Params& p) {
    Strings out;
    for (const auto& m : p.malformed()) {
        out.push_back(m.name);
    }
    return out;
}

TEST(ParamsMalformed, WellFormedInputRecordsNothing) {
    auto p = parse_form("service_code=171&description=Iso+kuoppa+tiell%C3%A4&q=100%25&flag");
    EXPECT_TRUE(p.malformed().empty());
    EXPECT_EQ(p.malformed().capacity(), 0U);  // nothing allocated on the common path
}

TEST(ParamsMalformed, PercentDecodeReportsMalformedEscapes) {
    for (const char* text : {"Bad%ZZescape", "Trailing+percent%", "Half%4Gscape", "%4", "%%41"}) {
        bool malformed = false;
        auto decoded = percent_decode(text, true, malformed);
        EXPECT_TRUE(malformed) << text;
        EXPECT_EQ(decoded, percent_decode(text, true)) << text;  // kept as they are
    }
    bool malformed = false;
    EXPECT_EQ(percent_decode("a%20b%2fc+d", true, malformed), "a b/c d");
    EXPECT_FALSE(malformed);
}

TEST(ParamsMalformed, BadEscapesInNamesOrValuesAreNamed) {
    auto p = parse_form("a=1&description=Bad%ZZescape&title=x%2&c%ZZ=3&d=%41");
    EXPECT_EQ(malformed_names(p), (Strings{"description", "title", "c%ZZ"}));
    for (const auto& m : p.malformed()) {
        EXPECT_EQ(m.problem, Encoding::bad_escape);
    }
    // The values are still there as sent; refusing them is the reader's job.
    EXPECT_EQ(p.get("description"), "Bad%ZZescape");
    EXPECT_EQ(p.get("d"), "A");
}

TEST(ParamsMalformed, TextThatIsNotUtf8IsNamed) {
    auto p = parse_form("service_code=%FF%FE&ok=%C3%A4&x=%C3%28");
    EXPECT_EQ(malformed_names(p), (Strings{"service_code", "x"}));
    EXPECT_EQ(p.malformed()[0].problem, Encoding::not_utf8);
}

TEST(ParamsMalformed, EachNameOnceWithItsFirstProblem) {
    auto p = parse_form("a=%ZZ&a=%FF&a=%FF%ZZ");
    ASSERT_EQ(p.malformed().size(), 1U);
    EXPECT_EQ(p.malformed()[0].problem, Encoding::bad_escape);
}

TEST(ParamsMalformed, NamesAreShownPrintably) {
    // A name that is not UTF-8, or holds control characters, is quoted with %XX.
    auto p = parse_form("%FFkey=1&line%0Abreak%ZZ=2&" + std::string(300, 'n') + "%ZZ=3");
    ASSERT_EQ(p.malformed().size(), 3U);
    EXPECT_EQ(p.malformed()[0].name, "%FFkey");
    EXPECT_EQ(p.malformed()[1].name, "line%0Abreak%ZZ");
    EXPECT_EQ(p.malformed()[2].name, std::string(100, 'n'));
    // A cut never splits a character.
    auto long_name = std::string(99, 'n') + "\xC3\xA4";
    auto q = parse_form(long_name + "=%ZZ");
    ASSERT_EQ(q.malformed().size(), 1U);
    EXPECT_EQ(q.malformed()[0].name, std::string(99, 'n'));
}

TEST(ParamsMalformed, AtMostAHundredNamesAreKept) {
    std::string body;
    for (int i = 0; i < 500; ++i) {
        body += "p" + std::to_string(i) + "=%ZZ&";
    }
    auto p = parse_form(body);
    EXPECT_EQ(p.items().size(), 500U);
    EXPECT_EQ(p.malformed().size(), Params::kMaxMalformed);
}

TEST(ParamsMalformed, MergeKeepsTheRecord) {
    auto a = parse_form("a=1");
    a.merge(parse_form("api_key=%ZZ"));
    EXPECT_EQ(malformed_names(a), (Strings{"api_key"}));
}

TEST(ParamsMalformed, MultipartTextMustBeUtf8ButIsNotDecoded) {
    const std::string body =
        "--b\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n100%ZZ\r\n"
        "--b\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\n\xFF\r\n--b--\r\n";
    auto parsed = parse_multipart(body, "multipart/form-data; boundary=b");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->fields.get("description"), "100%ZZ");
    EXPECT_EQ(malformed_names(parsed->fields), (Strings{"title"}));
}

TEST(ParamsMalformed, EncodingErrorsNameEachField) {
    auto errors = validate::encoding_errors(parse_form("description=Bad%ZZ&service_code=%FF"));
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0].code, ErrorCode::bad_request);
    EXPECT_EQ(errors[0].description.rfind("description: malformed percent-encoding", 0), 0U);
    EXPECT_EQ(errors[1].description, "service_code: not valid UTF-8 text");
    EXPECT_TRUE(validate::encoding_errors(parse_form("a=1")).empty());
}

TEST(MediaUrl, MustNameAnImageOverHttp) {
    for (const char* url : {"https://example.com/a.jpg",
                            "http://example.com/a.JPEG",
                            "https://example.com/x/y.png?size=large&v=2",
                            "https://example.com/z.gif#top",
                            "https://example.com/w.WebP",
                            "http://farm3.static.flickr.com/2002/225ed4760.jpg"}) {
        EXPECT_TRUE(validate::valid_media_url(url)) << url;
    }
    for (const char* url : {"https://example.com/readme.txt",
                            "https://example.com/photo",
                            "https://example.com/",
                            "https://example.com/.jpg",
                            "https://example.jpg",
                            "https://example.com?file=a.jpg",
                            "https://example.com/a.php?file=a.jpg",
                            "https://example.com/a.jpg.exe",
                            "ftp://example.com/a.jpg",
                            "javascript:alert(1)//a.jpg"}) {
        EXPECT_FALSE(validate::valid_media_url(url)) << url;
    }
}

}  // namespace
}  // namespace open311::form::malformed_test
