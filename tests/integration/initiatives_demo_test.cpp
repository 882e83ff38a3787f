// `open311d serve --demo` turns the initiatives API on and loads the demo initiatives; the
// setting still wins over the demo. The real binary, as a child process.
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace open311::test {
namespace {

/// Starts `serve --demo` on a fresh database; returns its port (0 when it did not start).
unsigned short start_demo(std::unique_ptr<ChildProcess>& server,
                          const TempDir& dir,
                          const std::vector<std::string>& env) {
    server = std::make_unique<ChildProcess>(std::vector<std::string>{OPEN311_BINARY,
                                                                     "serve",
                                                                     "--demo",
                                                                     "--listen",
                                                                     "127.0.0.1:0",
                                                                     "--db",
                                                                     dir.path() + "/demo.db"},
                                            env,
                                            dir.path(),
                                            "serve");
    const auto line = server->wait_for_line("listening on", std::chrono::seconds(30));
    return port_from_listen_line(line);
}

TEST(InitiativesDemo, ServeDemoPublishesTheDemoInitiatives) {
    TempDir dir;
    std::unique_ptr<ChildProcess> server;
    const auto port = start_demo(server, dir, {});
    ASSERT_NE(port, 0) << server->err();
    HttpClient client(port);
    auto list = client.get("/api/v1/initiatives");
    ASSERT_EQ(list.status, 200) << list.body;
    const auto items = list.json();
    ASSERT_EQ(items.size(), 4U);
    std::set<std::string> types;
    for (const auto& i : items) {
        types.insert(i["type"].get<std::string>());
    }
    EXPECT_EQ(types, (std::set<std::string>{"SINGLE", "COLLABORATIVE", "COLLABORATIVE_CITIZEN"}));
    EXPECT_EQ(client.get("/api/v1/initiatives/4").status, 404);  // the demo draft
    EXPECT_EQ(client.get("/api/v1/municipalities").json().size(), 309U);
    EXPECT_EQ(server->terminate(), 0);
    EXPECT_NE(server->err().find("initiatives API under /api/v1"), std::string::npos);
    EXPECT_EQ(server->err().find("Piilotettu"), std::string::npos);  // no names in the log
}

TEST(InitiativesDemo, TheSettingWinsOverTheDemo) {
    TempDir dir;
    std::unique_ptr<ChildProcess> server;
    const auto port = start_demo(server, dir, {"OPEN311_INITIATIVES_ENABLED=false"});
    ASSERT_NE(port, 0) << server->err();
    EXPECT_EQ(HttpClient(port).get("/api/v1/initiatives").status, 404);
    EXPECT_EQ(server->terminate(), 0);
}

}  // namespace
}  // namespace open311::test
