// /healthz (the process answers) and /readyz (the database answers, the media directory takes
// writes; 503 with the reason otherwise), as load balancers and orchestrators call them.
#include "support/server_fixture.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace open311::test {
namespace {

TEST(Health, LivenessAnswersOk) {
    TestServer server;
    auto r = server.client().get("/healthz");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.json().at("status"), "ok");
}

TEST(Health, ReadyWhenDatabaseAndMediaWork) {
    TestServer server;
    auto r = server.client().get("/readyz");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.header("Cache-Control"), "no-store");
    auto body = r.json();
    EXPECT_EQ(body.at("status"), "ready");
    EXPECT_EQ(body.at("checks").at("database"), "ok");
    EXPECT_EQ(body.at("checks").at("media"), "ok");

    auto head = server.client().request("HEAD", "/readyz", "");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
}

TEST(Health, NotReadyWhenMediaCannotBeWritten) {
    TempDir media;
    TestServer server([&media](Config& c) { c.media_dir = media.path() + "/media"; });
    // Running as root ignores permissions: make the spool directory a file instead.
    const auto incoming = std::filesystem::path(media.path()) / "media" / ".incoming";
    std::filesystem::remove_all(incoming);
    std::ofstream(incoming) << "not a directory";

    auto r = server.client().get("/readyz");
    ASSERT_EQ(r.status, 503) << r.body;
    auto body = r.json();
    EXPECT_EQ(body.at("status"), "not ready");
    EXPECT_EQ(body.at("checks").at("database"), "ok");
    const auto reason = body.at("checks").at("media").get<std::string>();
    EXPECT_NE(reason, "ok");
    EXPECT_EQ(reason.find(media.path()), std::string::npos) << "a path leaked: " << reason;
    // Liveness is not readiness: the process still answers.
    EXPECT_EQ(server.client().get("/healthz").status, 200);

    std::filesystem::remove(incoming);
    std::filesystem::create_directory(incoming);
    EXPECT_EQ(server.client().get("/readyz").status, 200);
}

TEST(Health, ProbesTakeNoSuffixOrOtherMethods) {
    TestServer server;
    EXPECT_EQ(server.client().request("POST", "/readyz", "").status, 405);
    EXPECT_EQ(server.client().get("/readyz.json").status, 404);
}

}  // namespace
}  // namespace open311::test
