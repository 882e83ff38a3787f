#include "api/core/http_cache.hpp"

#include "util/gzip.hpp"

#include <gtest/gtest.h>

namespace open311::api {
namespace {

HttpRequest get(std::string if_none_match = "", std::string accept_encoding = "") {
    HttpRequest r;
    r.method = Method::get;
    r.if_none_match = std::move(if_none_match);
    r.accept_encoding = std::move(accept_encoding);
    return r;
}

HttpResponse ok(std::string body) {
    HttpResponse r;
    r.status = 200;
    r.body = std::move(body);
    return r;
}

std::string header(const HttpResponse& r, const std::string& name) {
    for (const auto& [n, v] : r.headers) {
        if (n == name) {
            return v;
        }
    }
    return {};
}

TEST(HttpCache, EntityTagIsQuotedAndFollowsTheBody) {
    const auto tag = entity_tag("abc");
    EXPECT_EQ(tag.size(), 18U);
    EXPECT_EQ(tag.front(), '"');
    EXPECT_EQ(tag.back(), '"');
    EXPECT_EQ(tag, entity_tag("abc"));
    EXPECT_NE(tag, entity_tag("abd"));
}

TEST(HttpCache, IfNoneMatchListsWeakTagsAndStar) {
    EXPECT_TRUE(none_match_hits("\"a\"", "\"a\""));
    EXPECT_TRUE(none_match_hits("\"x\", W/\"a\"", "\"a\""));
    EXPECT_TRUE(none_match_hits("*", "\"a\""));
    EXPECT_FALSE(none_match_hits("\"b\"", "\"a\""));
    EXPECT_FALSE(none_match_hits("a", "\"a\""));
}

TEST(HttpCache, AcceptEncodingHonoursQZero) {
    EXPECT_TRUE(accepts_gzip("gzip, deflate, br"));
    EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip(""));
}

TEST(HttpCache, MatchingTagGivesNotModifiedWithoutBody) {
    auto first = ok("{\"a\":1}");
    apply_http_cache(get(), first);
    const auto tag = header(first, "ETag");
    ASSERT_FALSE(tag.empty());
    auto second = ok("{\"a\":1}");
    apply_http_cache(get(tag), second);
    EXPECT_EQ(second.status, 304);
    EXPECT_TRUE(second.body.empty());
    EXPECT_EQ(header(second, "ETag"), tag);
    auto changed = ok("{\"a\":2}");
    apply_http_cache(get(tag), changed);
    EXPECT_EQ(changed.status, 200);
    EXPECT_EQ(changed.body, "{\"a\":2}");
}

TEST(HttpCache, LargeBodiesAreGzippedWhenAcceptedAndTaggedApart) {
    const std::string body(5000, 'x');
    auto plain = ok(body);
    apply_http_cache(get(), plain);
    EXPECT_EQ(plain.body, body);
    EXPECT_TRUE(header(plain, "Content-Encoding").empty());
    EXPECT_EQ(header(plain, "Vary"), "Accept, Accept-Encoding");

    auto zipped = ok(body);
    apply_http_cache(get("", "gzip"), zipped);
    EXPECT_EQ(header(zipped, "Content-Encoding"), "gzip");
    EXPECT_LT(zipped.body.size(), body.size() / 10);
    EXPECT_EQ(gzip_decompress(zipped.body), body);
    EXPECT_NE(header(zipped, "ETag"), header(plain, "ETag"));

    auto small = ok("tiny");
    apply_http_cache(get("", "gzip"), small);
    EXPECT_TRUE(header(small, "Content-Encoding").empty());
}

TEST(HttpCache, ErrorsAndWritesAreLeftAlone) {
    HttpResponse missing;
    missing.status = 404;
    missing.body = std::string(5000, 'x');
    apply_http_cache(get("*", "gzip"), missing);
    EXPECT_EQ(missing.status, 404);
    EXPECT_TRUE(missing.headers.empty());

    HttpRequest post;
    post.method = Method::post;
    post.accept_encoding = "gzip";
    auto created = ok(std::string(5000, 'x'));
    apply_http_cache(post, created);
    EXPECT_TRUE(created.headers.empty());
}

TEST(HttpCache, AHandlersOwnTagIsKept) {
    auto versioned = ok(std::string(5000, 'x'));
    versioned.headers.emplace_back("ETag", "\"2\"");
    apply_http_cache(get("\"2\"", "gzip"), versioned);
    EXPECT_EQ(versioned.status, 200);
    EXPECT_EQ(versioned.headers.size(), 1U);
    EXPECT_EQ(versioned.body.size(), 5000U);
}

TEST(Gzip, RefusesTruncatedData) {
    auto zipped = gzip_compress(std::string(3000, 'y'));
    EXPECT_THROW(gzip_decompress(zipped.substr(0, zipped.size() / 2)), std::runtime_error);
}

}  // namespace
}  // namespace open311::api
