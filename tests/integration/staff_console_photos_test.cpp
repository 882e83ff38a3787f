// Photos on the console's request page (issue 14, page 2): thumbnails that link to the full
// file (served to staff only while the request is pending), and "Remove photo", which needs a
// reason, a CSRF token and writes one audit line naming the user and holding the reason.
#include "support/console_browser.hpp"
#include "support/media_helpers.hpp"
#include "support/server_fixture.hpp"
#include "support/test_images.hpp"

#include <gtest/gtest.h>

namespace open311::test {
namespace {

constexpr const char* kPhotoUser = "maija.moderaattori";

TEST(StaffConsolePhotos, ThumbnailsOpenTheFullFileAndRemovalNeedsAReason) {
    TestServer server;
    create_console_user(server, kPhotoUser, Role::staff);
    auto posted = post_upload(
        server,
        multipart_upload(request_fields(server), {{"media", "a.jpg", "image/jpeg", plain_jpeg()}}));
    ASSERT_EQ(posted.status, 200) << posted.body;
    const auto id = posted.json()[0]["service_request_id"].get<std::string>();
    const auto stored = server.store().find_request(id);
    ASSERT_EQ(stored->media.size(), 1U);
    const auto name = stored->media[0].name;

    ConsoleBrowser b(server);
    ASSERT_EQ(b.sign_in(kPhotoUser, "a long password!").status(), 303);
    auto page = b.get("/staff/requests/" + id);
    ASSERT_EQ(page.status(), 200);
    const auto url = "/staff/media/" + name;
    EXPECT_EQ(page.attr("//ul[@class='photos']/li/a/@href"), url);
    EXPECT_EQ(page.attr("//ul[@class='photos']/li/a/img/@src"), url);
    auto full = b.get(url);
    EXPECT_EQ(full.status(), 200);
    EXPECT_EQ(full.response.header("Content-Type"), "image/jpeg");
    EXPECT_EQ(server.client().get("/media/" + name).status, 404);  // pending: not public

    const auto action = "/staff/requests/" + id + "/media/" + name + "/remove";
    const auto csrf = ConsoleBrowser::csrf(page);
    EXPECT_EQ(b.post(action, {{"reason", "Kasvot näkyvät"}}).status(), 403);
    auto no_reason = b.post(action, {{"csrf", csrf}, {"reason", "  "}});
    EXPECT_EQ(no_reason.status(), 400);
    EXPECT_FALSE(no_reason.text("//*[@role='alert']").empty());
    EXPECT_EQ(server.store().find_request(id)->media.size(), 1U);

    EXPECT_EQ(b.post(action, {{"csrf", csrf}, {"reason", "Kasvot näkyvät"}}).status(), 303);
    EXPECT_TRUE(server.store().find_request(id)->media.empty());
    EXPECT_EQ(b.get(url).status(), 404);
    AuditFilter filter;
    filter.action = "request.media.delete";
    const auto lines = server.store().search_audit(filter);
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].actor, kPhotoUser);
    EXPECT_EQ(lines[0].subject, name);
    const auto detail = nlohmann::json::parse(lines[0].detail);
    EXPECT_EQ(detail["after"]["reason"], "Kasvot näkyvät");
    // The history on the page shows it.
    auto after = b.get("/staff/requests/" + id + "?done=remove_photo");
    EXPECT_EQ(after.all("//ul[@class='photos']").size(), 0U);
    bool shown = false;
    for (const auto& li : after.all("//ol[@class='timeline']/li")) {
        const std::string action_text =
            li.node().select_node("span[@class='action']").node().text().get();
        const std::string note = li.node().select_node("q").node().text().get();
        shown = shown || (action_text == "request.media.delete" && note == "Kasvot näkyvät");
    }
    EXPECT_TRUE(shown);
    EXPECT_EQ(b.post(action, {{"csrf", csrf}, {"reason", "again"}}).status(), 404);
}

}  // namespace
}  // namespace open311::test
