// moderation.new_requests and the profile's can_be_published default (issue 13) under serve:
// post-moderation publishes on arrival, except what its sender asked to keep private; a
// GeoReport v2 client that never sends can_be_published gets its report published by staff.
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

namespace open311::test::moderation_mode {
namespace {

std::set<std::string> public_ids(const TestServer& server, const std::string& query) {
    auto r = server.client().get(server.base() + "/requests.json" + query);
    EXPECT_EQ(r.status, 200) << r.body;
    std::set<std::string> ids;
    for (const auto& item : r.json()) {
        ids.insert(item.value("service_request_id", ""));
    }
    return ids;
}

/// A POST as GeoReport v2 clients send it: no can_be_published at all.
std::string submit_without_flag(TestServer& server) {
    auto r = server.client().post_form(server.base() + "/requests.json",
                                       form({{"api_key", server.client_key},
                                             {"service_code", "171"},
                                             {"lat", "60.1699"},
                                             {"long", "24.9384"},
                                             {"description", "Kuoppa ajoradalla Hämeentiellä"}}));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()[0].value("service_request_id", "");
}

int publish(const TestServer& server, const std::string& id) {
    return server.client()
        .request("POST",
                 "/admin/v1/requests/" + id + "/publish",
                 "",
                 {{"Authorization", "Bearer " + server.staff_key}})
        .status;
}

TEST(ModerationMode, PublishedOnArrivalUnlessTheSenderSaidNo) {
    TestServer server([](Config& c) { c.new_requests = NewRequests::published; });
    const auto open_one = submit_without_flag(server);
    const auto private_one = server.submit({}, false);
    const auto ids = public_ids(server, "?service_request_id=" + open_one + "," + private_one);
    EXPECT_EQ(ids, std::set<std::string>{open_one});
    // Post-moderation: staff can still take it back.
    auto back = server.client().request("POST",
                                        "/admin/v1/requests/" + open_one + "/unpublish",
                                        "",
                                        {{"Authorization", "Bearer " + server.staff_key}});
    EXPECT_EQ(back.status, 200) << back.body;
    EXPECT_TRUE(public_ids(server, "?service_request_id=" + open_one).empty());
}

TEST(ModerationMode, PendingByDefaultAndPublishableWhenTheFieldIsAbsent) {
    TestServer server;
    const auto id = submit_without_flag(server);
    EXPECT_TRUE(public_ids(server, "?service_request_id=" + id).empty());
    EXPECT_EQ(publish(server, id), 200);
    EXPECT_EQ(public_ids(server, "?service_request_id=" + id), std::set<std::string>{id});
    EXPECT_EQ(publish(server, server.submit({}, false)), 409);  // an explicit false is respected
}

TEST(ModerationMode, HelsinkiKeepsFalseAsTheDefault) {
    TestServer server([](Config& c) {
        c.profile = *profile_by_name("helsinki");
        c.new_requests = NewRequests::published;
    });
    const auto id = submit_without_flag(server);
    EXPECT_TRUE(public_ids(server, "?service_request_id=" + id).empty());
    EXPECT_EQ(publish(server, id), 409);
}

}  // namespace
}  // namespace open311::test::moderation_mode
