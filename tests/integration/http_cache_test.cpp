// ETag / If-None-Match (304) on single requests and lists, gzip when the client asks and the
// body is large, and the rendered service list cached per catalogue version.
#include "support/server_fixture.hpp"
#include "util/gzip.hpp"

#include <gtest/gtest.h>

namespace open311::test {
namespace {

TEST(HttpCache, SingleRequestAnswersNotModifiedToItsTag) {
    TestServer server;
    const auto id = server.submit_published();
    auto c = server.client();
    const auto path = server.base() + "/requests/" + id + ".json";
    auto first = c.get(path);
    ASSERT_EQ(first.status, 200);
    const auto tag = first.header("etag");
    ASSERT_FALSE(tag.empty());
    EXPECT_NE(first.header("vary").find("Accept-Encoding"), std::string::npos);

    auto again = c.get(path, {{"If-None-Match", tag}});
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(again.header("etag"), tag);

    // A change to the request gives a new tag: the old one no longer matches.
    auto xml = c.get(server.base() + "/requests/" + id + ".xml", {{"If-None-Match", tag}});
    EXPECT_EQ(xml.status, 200);  // another representation, another tag
    EXPECT_NE(xml.header("etag"), tag);
    auto stored = server.store().find_request(id);
    ASSERT_TRUE(stored);
    RequestChange change;
    change.request_id = id;
    change.expected_version = stored->version;
    change.after = *stored;
    change.after->updated_at = now() + 3600;
    change.audit.push_back(AuditEntry{0, now(), "test-staff", "request.edit", id, id, "{}"});
    ASSERT_EQ(server.store().commit_request_change(change), ChangeOutcome::applied);
    auto changed = c.get(path, {{"If-None-Match", tag}});
    EXPECT_EQ(changed.status, 200);
    EXPECT_NE(changed.header("etag"), tag);
}

TEST(HttpCache, ListsAreGzippedWhenAskedAndReadBackTheSame) {
    TestServer server;
    for (int i = 0; i < 8; ++i) {
        server.submit_published(
            {{"description", "Katuvalo ei toimi Mannerheimintiellä, pimeää " + std::to_string(i)}});
    }
    auto c = server.client();
    const auto path = server.base() + "/requests.json";
    auto plain = c.get(path);
    ASSERT_EQ(plain.status, 200);
    ASSERT_GE(plain.body.size(), 1024U);
    EXPECT_TRUE(plain.header("content-encoding").empty());

    auto zipped = c.get(path, {{"Accept-Encoding", "gzip, br"}});
    ASSERT_EQ(zipped.status, 200);
    EXPECT_EQ(zipped.header("content-encoding"), "gzip");
    EXPECT_LT(zipped.body.size(), plain.body.size());
    EXPECT_EQ(nlohmann::json::parse(gzip_decompress(zipped.body)), plain.json());

    auto not_modified =
        c.get(path, {{"Accept-Encoding", "gzip"}, {"If-None-Match", zipped.header("etag")}});
    EXPECT_EQ(not_modified.status, 304);
    auto refused = c.get(path, {{"Accept-Encoding", "gzip;q=0"}});
    EXPECT_TRUE(refused.header("content-encoding").empty());
}

TEST(HttpCache, ServiceListFollowsACatalogueChange) {
    TestServer server;
    auto c = server.client();
    const auto path = server.base() + "/services.json";
    auto before = c.get(path);
    ASSERT_EQ(before.status, 200);
    EXPECT_EQ(c.get(path).body, before.body);  // answered from the cache: the same bytes

    auto services = server.store().list_services(true);
    ASSERT_FALSE(services.empty());
    for (auto& [locale, translation] : services.front().translations) {
        translation.name = "Uusi nimi palvelulle";
    }
    server.store().upsert_services({services.front()});

    auto after = c.get(path);
    ASSERT_EQ(after.status, 200);
    bool renamed = false;
    for (const auto& s : after.json()) {
        renamed = renamed || s.value("service_name", "") == "Uusi nimi palvelulle";
    }
    EXPECT_TRUE(renamed) << after.body;
}

}  // namespace
}  // namespace open311::test
