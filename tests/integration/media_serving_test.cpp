// GET /media/{name}: public only once the request is published; staff fetch any state at
// /admin/v1/media/{name}; DELETE /admin/v1/requests/{id}/media/{name} removes one file.
// Caching headers, conditional and range requests, and names that try to leave the directory.
#include "support/media_helpers.hpp"
#include "support/server_fixture.hpp"
#include "support/test_images.hpp"

#include <gtest/gtest.h>

namespace open311::test {
namespace {

struct Uploaded {
    std::string id;
    std::string name;  ///< the stored file's name
    std::string path;  ///< "/media/<name>"
};

/// Submits a request with one photo (pending); returns its id and the file's name.
Uploaded upload_photo(TestServer& server, const std::string& photo = jpeg_with_gps()) {
    auto r = post_upload(server, multipart_upload(request_fields(server), {{.data = photo}}));
    EXPECT_EQ(r.status, 200) << r.body;
    Uploaded out;
    out.id = r.json()[0].value("service_request_id", "");
    auto staff = server.client().get("/admin/v1/requests/" + out.id,
                                     {{"Authorization", "Bearer " + server.staff_key}});
    auto media = staff.json()["media"];
    EXPECT_EQ(media.size(), 1U) << staff.body;
    if (!media.empty()) {
        out.name = media[0]["name"].get<std::string>();
        out.path = "/media/" + out.name;
    }
    return out;
}

std::map<std::string, std::string> staff(const TestServer& server) {
    return {{"Authorization", "Bearer " + server.staff_key}};
}

TEST(MediaServing, PendingIsHiddenUntilPublished) {
    TestServer server;
    auto photo = upload_photo(server);
    EXPECT_EQ(server.client().get(photo.path).status, 404);
    // Staff see it while it waits for moderation, and nobody may cache that answer.
    auto admin = server.client().get("/admin/v1/media/" + photo.name, staff(server));
    ASSERT_EQ(admin.status, 200) << admin.body;
    EXPECT_EQ(admin.header("Cache-Control"), "private, no-store");
    EXPECT_FALSE(jpeg_exif_gps(admin.body).has_value());
    // ... but not without a staff key.
    EXPECT_EQ(server.client().get("/admin/v1/media/" + photo.name).status, 401);
    EXPECT_EQ(server.client()
                  .get("/admin/v1/media/" + photo.name,
                       {{"Authorization", "Bearer " + server.client_key}})
                  .status,
              403);

    server.publish(photo.id);
    auto pub = server.client().get(photo.path);
    ASSERT_EQ(pub.status, 200);
    EXPECT_EQ(pub.body, admin.body);
    EXPECT_EQ(pub.header("Cache-Control"), "public, max-age=3600");
    EXPECT_FALSE(pub.header("ETag").empty());
    EXPECT_EQ(pub.header("Accept-Ranges"), "bytes");
    EXPECT_EQ(pub.header("X-Content-Type-Options"), "nosniff");

    // Unpublished again: hidden again.
    auto unpublish = server.client().request(
        "POST", "/admin/v1/requests/" + photo.id + "/unpublish", "", staff(server));
    ASSERT_EQ(unpublish.status, 200);
    EXPECT_EQ(server.client().get(photo.path).status, 404);
}

TEST(MediaServing, RejectedIsNeverPublic) {
    TestServer server;
    auto photo = upload_photo(server);
    auto r = server.client().request("POST",
                                     "/admin/v1/requests/" + photo.id + "/reject",
                                     "{\"reason\":\"spam\"}",
                                     staff(server));
    ASSERT_EQ(r.status, 200) << r.body;
    auto missing = server.client().get(photo.path, {{"Accept", "application/json"}});
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json()[0]["code"], 404);
    EXPECT_EQ(server.client().get("/admin/v1/media/" + photo.name, staff(server)).status, 200);
}

TEST(MediaServing, PendingRequestViewShowsNoMedia) {
    TestServer server;
    auto photo = upload_photo(server);
    auto r = server.client().get(server.base() + "/requests/" + photo.id + ".json?extensions=true");
    ASSERT_EQ(r.status, 200);
    std::vector<std::string> keys;
    collect_keys(r.json(), keys);
    EXPECT_EQ(std::count(keys.begin(), keys.end(), "media_url"), 0);
    EXPECT_EQ(std::count(keys.begin(), keys.end(), "media_urls"), 0);
}

TEST(MediaServing, ConditionalAndRangeRequests) {
    TestServer server;
    auto photo = upload_photo(server, large_jpeg(200000));
    server.publish(photo.id);
    auto full = server.client().get(photo.path);
    ASSERT_EQ(full.status, 200);
    const auto etag = full.header("ETag");

    auto not_modified = server.client().get(photo.path, {{"If-None-Match", etag}});
    EXPECT_EQ(not_modified.status, 304);
    EXPECT_TRUE(not_modified.body.empty());

    auto first = server.client().get(photo.path, {{"Range", "bytes=0-9"}});
    EXPECT_EQ(first.status, 206);
    EXPECT_EQ(first.body, full.body.substr(0, 10));
    EXPECT_EQ(first.header("Content-Range"), "bytes 0-9/" + std::to_string(full.body.size()));
    EXPECT_EQ(first.header("Content-Length"), "10");

    auto tail = server.client().get(photo.path, {{"Range", "bytes=-4"}});
    EXPECT_EQ(tail.status, 206);
    EXPECT_EQ(tail.body, full.body.substr(full.body.size() - 4));

    auto middle = server.client().get(photo.path, {{"Range", "bytes=5-"}});
    EXPECT_EQ(middle.status, 206);
    EXPECT_EQ(middle.body, full.body.substr(5));

    auto beyond = server.client().get(
        photo.path, {{"Range", "bytes=" + std::to_string(full.body.size()) + "-"}});
    EXPECT_EQ(beyond.status, 416);
    EXPECT_EQ(beyond.header("Content-Range"), "bytes */" + std::to_string(full.body.size()));

    // A stale If-Range validator gets the whole file.
    auto stale = server.client().get(photo.path, {{"Range", "bytes=0-9"}, {"If-Range", "\"x\""}});
    EXPECT_EQ(stale.status, 200);
    EXPECT_EQ(stale.body, full.body);

    auto head = server.client().request("HEAD", photo.path);
    EXPECT_EQ(head.status, 200);
    EXPECT_EQ(head.header("Content-Length"), std::to_string(full.body.size()));
    EXPECT_TRUE(head.body.empty());
}

TEST(MediaServing, TraversalAttemptsFindNothing) {
    TestServer server;
    auto photo = upload_photo(server);
    server.publish(photo.id);
    // The database sits one directory above the media directory.
    for (const std::string& target :
         std::vector<std::string>{"/media/../test.db",
                                  "/media/..%2Ftest.db",
                                  "/media/%2e%2e%2ftest.db",
                                  "/media/%2E%2E/test.db",
                                  "/media/..%5Ctest.db",
                                  "/media/.incoming",
                                  "/media/" + photo.name + "%00.db",
                                  "/media/" + photo.name + "/..",
                                  "/media/./" + photo.name,
                                  "/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                                  "/media/aaaaaaaaaaaaaaaaaaaaaaaaaa.jpg",
                                  "/media/",
                                  "/admin/v1/media/..%2Ftest.db"}) {
        auto r = server.client().get(target, staff(server));
        EXPECT_EQ(r.status, 404) << target;
        EXPECT_EQ(r.body.find("SQLite format"), std::string::npos) << target;
        EXPECT_NE(r.header("Content-Type").rfind("image/", 0), 0U) << target;
    }
    EXPECT_EQ(server.client().get(photo.path).status, 200);
}

TEST(MediaServing, StaffDeleteRemovesOneFile) {
    TestServer server;
    auto r = post_upload(server,
                         multipart_upload(request_fields(server),
                                          {{.data = plain_jpeg()}, {.data = jpeg_with_gps()}}));
    ASSERT_EQ(r.status, 200);
    const auto id = r.json()[0].value("service_request_id", "");
    server.publish(id);
    auto before = server.client().get("/admin/v1/requests/" + id, staff(server)).json();
    ASSERT_EQ(before["media"].size(), 2U);
    const auto removed = before["media"][1]["name"].get<std::string>();
    const auto kept = before["media"][0]["name"].get<std::string>();

    const auto target = "/admin/v1/requests/" + id + "/media/" + removed;
    EXPECT_EQ(server.client().request("DELETE", target).status, 401);
    EXPECT_EQ(server.client()
                  .request("DELETE", target, "", {{"Authorization", "Bearer " + server.client_key}})
                  .status,
              403);
    // The reason, optional, is a JSON body as for a reject; anything else is refused first.
    auto with_body = staff(server);
    with_body["Content-Type"] = "application/json";
    auto malformed = server.client().request("DELETE", target, R"({"reason": 7})", with_body);
    EXPECT_EQ(malformed.status, 400) << malformed.body;
    EXPECT_EQ(malformed.json()[0].value("description", ""), "reason: expected a string");
    EXPECT_EQ(server.client().get("/media/" + removed).status, 200);
    auto del = server.client().request(
        "DELETE", target, R"({"reason": " A face in the picture "})", with_body);
    EXPECT_EQ(del.status, 204) << del.body;

    EXPECT_EQ(server.client().get("/media/" + removed).status, 404);
    EXPECT_EQ(server.client().get("/admin/v1/media/" + removed, staff(server)).status, 404);
    EXPECT_FALSE(std::filesystem::exists(media_dir_of(server) / removed));
    EXPECT_EQ(server.client().get("/media/" + kept).status, 200);
    // The removal is in the audit trail, with who did it and what was removed.
    auto after = server.client().get("/admin/v1/requests/" + id, staff(server)).json();
    EXPECT_EQ(after["media"].size(), 1U);
    EXPECT_GT(after["version"].get<std::int64_t>(), before["version"].get<std::int64_t>());
    bool audited = false;
    for (const auto& line : after["audit"]) {
        if (line.value("action", "") == "request.media.delete") {
            audited = true;
            EXPECT_EQ(line.value("actor", ""), "test-staff");
            EXPECT_EQ(line.value("subject", ""), removed);
            EXPECT_EQ(line["detail"]["after"].value("reason", ""), "A face in the picture");
        }
    }
    EXPECT_TRUE(audited) << after["audit"].dump();
    auto view =
        server.client().get(server.base() + "/requests/" + id + ".json?extensions=true").json()[0];
    auto urls = view["extended_attributes"]["media_urls"];
    ASSERT_EQ(urls.size(), 1U);
    EXPECT_NE(urls[0].get<std::string>().find(kept), std::string::npos);

    // Again, or on another request, or with a made-up name: 404.
    EXPECT_EQ(server.client().request("DELETE", target, "", staff(server)).status, 404);
    auto other = server.submit();
    EXPECT_EQ(
        server.client()
            .request("DELETE", "/admin/v1/requests/" + other + "/media/" + kept, "", staff(server))
            .status,
        404);
    EXPECT_EQ(server.client().get("/media/" + kept).status, 200);
    EXPECT_EQ(server.client()
                  .request("DELETE",
                           "/admin/v1/requests/" + id + "/media/..%2F..%2Ftest.db",
                           "",
                           staff(server))
                  .status,
              404);
}

}  // namespace
}  // namespace open311::test
