// Service request updates posted the ways clients send them, and how staff closures are
// reported in the feed.
#include "support/media_helpers.hpp"
#include "support/server_fixture.hpp"
#include "support/test_images.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include <map>
#include <string>
#include <vector>

namespace open311::test {
namespace {

using nlohmann::json;

std::vector<std::pair<std::string, std::string>> update_fields(const TestServer& server,
                                                               const std::string& request_id) {
    return {{"api_key", server.client_key},
            {"service_request_id", request_id},
            {"update_id", "fms-77"},
            {"updated_datetime", "2026-05-01T10:00:00+03:00"},
            {"status", "OPEN"},
            {"description", "Still there."}};
}

Response post_update_multipart(const TestServer& server,
                               const std::string& body,
                               const std::string& fmt) {
    return server.client().request(
        "POST",
        server.base() + "/servicerequestupdates." + fmt,
        body,
        {{"Content-Type", "multipart/form-data; boundary=" + kMediaBoundary}});
}

json staff_record(const TestServer& server, const std::string& id) {
    return server.client()
        .request("GET",
                 "/admin/v1/requests/" + id,
                 "",
                 {{"Authorization", "Bearer " + server.staff_key}})
        .json();
}

TEST(UpdatesPostForms, AMultipartUpdateWithoutFilesIsStored) {
    TestServer server;
    const auto id = server.submit_published();
    auto r = post_update_multipart(server, multipart_upload(update_fields(server, id), {}), "json");
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_array()) << r.body;
    ASSERT_TRUE(j[0].contains("update_id")) << r.body;
    auto updates = staff_record(server, id)["updates"];
    ASSERT_EQ(updates.size(), 1u);
    EXPECT_EQ(updates[0]["update_id"], j[0]["update_id"]);
    EXPECT_EQ(updates[0]["description"], "Still there.");
    EXPECT_EQ(updates[0]["client_update_id"], "fms-77");
}

TEST(UpdatesPostForms, AMultipartUpdateWithAFilePartIsStoredInXmlToo) {
    TestServer server;
    const auto id = server.submit_published();
    FileField photo;
    photo.data = plain_jpeg();
    auto r =
        post_update_multipart(server, multipart_upload(update_fields(server, id), {photo}), "xml");
    ASSERT_EQ(r.status, 200) << r.body;
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(r.body.c_str())) << r.body;
    const std::string update_id = doc.child("service_request_updates")
                                      .child("request_update")
                                      .child("update_id")
                                      .text()
                                      .as_string();
    EXPECT_FALSE(update_id.empty()) << r.body;
    auto updates = staff_record(server, id)["updates"];
    ASSERT_EQ(updates.size(), 1u);
    EXPECT_EQ(updates[0]["update_id"], update_id);
}

TEST(UpdatesPostForms, AMultipartUpdateWithoutItsKeyIsRefusedByField) {
    TestServer server;
    const auto id = server.submit_published();
    auto fields = update_fields(server, id);
    fields.erase(fields.begin());  // api_key
    auto r = post_update_multipart(server, multipart_upload(fields, {}), "json");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_EQ(r.json()[0]["description"], "api_key: required");
}

TEST(UpdatesPostForms, APlainStaffClosureIsReportedAsClosed) {
    TestServer server;
    const auto id = server.submit_published();
    auto r = server.client().request(
        "PATCH",
        "/admin/v1/requests/" + id,
        json{{"status", "closed"}}.dump(),
        {{"Authorization", "Bearer " + server.staff_key}, {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;
    auto feed = server.client().get(server.base() + "/servicerequestupdates.json");
    ASSERT_EQ(feed.status, 200) << feed.body;
    auto j = feed.json();
    ASSERT_EQ(j.size(), 1u) << feed.body;
    EXPECT_EQ(j[0]["status"], "closed");
    // A detailed status chosen by staff still gives the extended state.
    r = server.client().request(
        "PATCH",
        "/admin/v1/requests/" + id,
        json{{"detailed_status", "REJECTED"}}.dump(),
        {{"Authorization", "Bearer " + server.staff_key}, {"Content-Type", "application/json"}});
    ASSERT_EQ(r.status, 200) << r.body;
    j = server.client().get(server.base() + "/servicerequestupdates.json").json();
    ASSERT_EQ(j.size(), 2u);
    EXPECT_EQ(j[1]["status"], "not_councils_responsibility");
}

TEST(UpdatesPostForms, EditingAnUnknownServiceIsNotFoundWhateverTheBody) {
    TestServer server;
    for (const std::string body : {R"({"bogus": 1})", R"({"active": false})", "not json"}) {
        auto r = server.client().request("PATCH",
                                         "/admin/v1/services/no-such-code",
                                         body,
                                         {{"Authorization", "Bearer " + server.admin_key},
                                          {"Content-Type", "application/json"}});
        EXPECT_EQ(r.status, 404) << body << " → " << r.body;
        EXPECT_EQ(r.json()[0]["description"], "no service 'no-such-code'");
    }
    auto r = server.client().request("DELETE",
                                     "/admin/v1/services/no-such-code",
                                     "",
                                     {{"Authorization", "Bearer " + server.admin_key}});
    EXPECT_EQ(r.status, 404) << r.body;
}

TEST(StaffEdits, AnAddressPostAcceptsCanBeSavedBackUnchanged) {
    TestServer server;
    const std::string address(900, 'k');
    const auto id = server.submit_published({{"address_string", address}});
    auto patch = [&](const std::string& value) {
        return server.client().request("PATCH",
                                       "/admin/v1/requests/" + id,
                                       json{{"address", value}, {"status_notes", "checked"}}.dump(),
                                       {{"Authorization", "Bearer " + server.staff_key},
                                        {"Content-Type", "application/json"}});
    };
    auto r = patch(address);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json()["address"], address);
    r = patch(std::string(1001, 'k'));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.json()[0]["description"], "address: at most 1000 characters allowed");
}

}  // namespace
}  // namespace open311::test
