// Keeping initiatives up to date (issue 16): the admin API and `open311d initiatives import`,
// both through one change function, each change with its audit line.
#include "support/server_fixture.hpp"
#include "support/staff_api.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace open311::test {
namespace {

constexpr const char* kInitiative = R"({"id": 17, "name": "Penkkejä", "proposal": "Lisää penkkejä.",
  "type": "COLLABORATIVE", "municipality": 91, "state": "PUBLISHED", "fix_state": "OK",
  "publish_date": "2026-03-01", "sent_date": null,
  "participants": {"total": 120, "public": 80, "residents": 110, "external": 15},
  "authors": [{"name": "Maija Meikäläinen", "municipality": 91, "public": true},
              {"name": "Hidden Author", "municipality": 49, "public": false}]})";

std::vector<AuditEntry> initiative_audit(Store& store) {
    AuditFilter f;
    f.action = "initiative.";
    return store.search_audit(f);  // newest first
}

class InitiativesAdmin : public ::testing::Test {
protected:
    InitiativesAdmin()
        : server_([](Config& c) {
              c.initiatives.enabled = true;
              c.initiatives.api_base_url = "https://aloitteet.example.fi";
          }) {}
    Response call(const std::string& method,
                  const std::string& body = "",
                  const std::string& id = "17") {
        return staff_call(server_, method, "/admin/v1/initiatives/" + id, server_.admin_key, body);
    }
    TestServer server_;
};

TEST_F(InitiativesAdmin, PutCreatesReplacesAndDeleteRemovesWithAuditLines) {
    EXPECT_EQ(call("GET").status, 404);
    auto created = call("PUT", kInitiative);
    ASSERT_EQ(created.status, 201) << created.body;
    EXPECT_EQ(created.json(), nlohmann::json::parse(kInitiative));
    auto read = call("GET");
    ASSERT_EQ(read.status, 200);
    EXPECT_EQ(read.json(), nlohmann::json::parse(kInitiative));  // the import format, whole
    auto pub = server_.client().get("/api/v1/initiatives/17");
    ASSERT_EQ(pub.status, 200);
    EXPECT_EQ(pub.json()["participantCount"]["total"], 135);
    EXPECT_EQ(pub.body.find("Hidden Author"), std::string::npos);

    auto lines = initiative_audit(server_.store());
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].action, "initiative.create");
    EXPECT_EQ(lines[0].actor, "test-admin");
    EXPECT_EQ(lines[0].subject, "17");
    EXPECT_EQ(nlohmann::json::parse(lines[0].detail)["after"]["name"], "Penkkejä");

    // The same object again changes nothing and writes no line.
    EXPECT_EQ(call("PUT", kInitiative).status, 200);
    EXPECT_EQ(initiative_audit(server_.store()).size(), 1U);

    // Replacing replaces the whole initiative, its authors included; the body's id may go.
    auto changed = nlohmann::json::parse(kInitiative);
    changed.erase("id");
    changed["state"] = "PUBLISHED";
    changed["fix_state"] = "FIX";
    changed["authors"] =
        nlohmann::json::parse(R"([{"name": "Uusi", "municipality": null, "public": true}])");
    auto replaced = call("PUT", changed.dump());
    ASSERT_EQ(replaced.status, 200) << replaced.body;
    EXPECT_EQ(replaced.json()["authors"].size(), 1U);
    EXPECT_EQ(replaced.json()["id"], 17);
    EXPECT_EQ(server_.client().get("/api/v1/initiatives/17").status, 404);  // being corrected
    lines = initiative_audit(server_.store());
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].action, "initiative.replace");
    const auto detail = nlohmann::json::parse(lines[0].detail);
    EXPECT_EQ(detail["before"]["fix_state"], "OK");
    EXPECT_EQ(detail["after"]["fix_state"], "FIX");
    EXPECT_FALSE(detail["after"].contains("name"));  // only what changed

    auto deleted = call("DELETE");
    EXPECT_EQ(deleted.status, 204);
    EXPECT_EQ(call("GET").status, 404);
    EXPECT_EQ(call("DELETE").status, 404);
    lines = initiative_audit(server_.store());
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[0].action, "initiative.delete");
    EXPECT_TRUE(nlohmann::json::parse(lines[0].detail)["after"].is_null());
}

TEST_F(InitiativesAdmin, BadBodiesAre400NamingTheMember) {
    auto extra = nlohmann::json::parse(kInitiative);
    extra["title"] = "x";
    extra["authors"][0]["email"] = "maija@example.org";
    auto text = error_text(call("PUT", extra.dump()), 400);
    EXPECT_NE(text.find("title: unknown member"), std::string::npos) << text;
    EXPECT_NE(text.find("authors[0].email: unknown member"), std::string::npos) << text;

    auto bad = nlohmann::json::parse(kInitiative);
    bad["participants"]["public"] = 121;
    bad["municipality"] = 99;
    text = error_text(call("PUT", bad.dump()), 400);
    EXPECT_NE(text.find("participants.public:"), std::string::npos) << text;
    EXPECT_NE(text.find("municipality:"), std::string::npos) << text;

    EXPECT_NE(error_text(call("PUT", kInitiative, "18"), 400).find("id:"), std::string::npos);
    EXPECT_NE(error_text(call("PUT", "not json"), 400).find("body:"), std::string::npos);
    EXPECT_NE(error_text(call("PUT", "[]"), 400).find("body:"), std::string::npos);
    EXPECT_EQ(call("PUT", kInitiative, "017").status, 400);
    EXPECT_EQ(call("GET", "", "x").status, 404);
    EXPECT_EQ(call("GET").status, 404);  // nothing was stored
    EXPECT_TRUE(initiative_audit(server_.store()).empty());
}

TEST_F(InitiativesAdmin, OnlyAdminKeys) {
    EXPECT_EQ(staff_call(server_, "PUT", "/admin/v1/initiatives/17", server_.staff_key, kInitiative)
                  .status,
              403);
    EXPECT_EQ(staff_call(server_, "GET", "/admin/v1/initiatives/17", server_.client_key).status,
              403);
    EXPECT_EQ(staff_call(server_, "DELETE", "/admin/v1/initiatives/17", "").status, 401);
    EXPECT_EQ(call("GET").status, 404);
}

// The command line: the real binary in a temporary directory.
struct CliRun {
    int code = -1;
    std::string out;
    std::string err;
};

std::string slurp_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

CliRun run_open311d(const std::string& dir, const std::string& args) {
    const std::string out = dir + "/out.txt";
    const std::string err = dir + "/err.txt";
    const std::string command = "cd '" + dir + "' && timeout 30 '" + std::string(OPEN311_BINARY) +
                                "' " + args + " >'" + out + "' 2>'" + err + "' </dev/null";
    const int status = std::system(command.c_str());
    return CliRun{WIFEXITED(status) ? WEXITSTATUS(status) : -1, slurp_file(out), slurp_file(err)};
}

TEST(InitiativesImportCommand, LoadsUpdatesAndAuditsAndRefusesBadFilesWhole) {
    TempDir dir;
    const std::string db = dir.path() + "/i.db";
    auto file = nlohmann::json::parse(std::string("{\"initiatives\": [") + kInitiative + "]}");
    auto second = file["initiatives"][0];
    second["id"] = 18;
    second["type"] = "SINGLE";
    second["sent_date"] = "2026-03-02";
    file["initiatives"].push_back(second);
    { std::ofstream(dir.path() + "/in.json") << file.dump(); }
    auto r = run_open311d(dir.path(), "initiatives import in.json --db '" + db + "'");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("imported 2 initiatives"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("2 created"), std::string::npos) << r.out;
    EXPECT_EQ(r.err.find("Hidden Author"), std::string::npos);

    // Again, with one changed: updated by id.
    file["initiatives"][1]["name"] = "Muutettu";
    { std::ofstream(dir.path() + "/in.json") << file.dump(); }
    r = run_open311d(dir.path(), "initiatives import in.json --db '" + db + "'");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("1 replaced, 1 unchanged"), std::string::npos) << r.out;

    // A file with an unknown member is refused whole, naming it.
    file["initiatives"][0]["name"] = "Ei tallenneta";
    file["initiatives"][1]["signatures"] = 5;
    { std::ofstream(dir.path() + "/bad.json") << file.dump(); }
    r = run_open311d(dir.path(), "initiatives import bad.json --db '" + db + "'");
    EXPECT_EQ(r.code, 1);
    EXPECT_NE(r.err.find("initiatives[1].signatures: unknown member"), std::string::npos) << r.err;
    EXPECT_EQ(run_open311d(dir.path(), "initiatives import missing.json --db '" + db + "'").code,
              1);

    Config c;
    c.db_path = db;
    auto store = make_store(c);
    auto first = store->find_initiative(17);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->name, "Penkkejä");
    EXPECT_EQ(first->authors.size(), 2U);
    EXPECT_EQ(store->find_initiative(18)->name, "Muutettu");
    auto lines = initiative_audit(*store);
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[0].action, "initiative.replace");
    EXPECT_EQ(lines[0].subject, "18");
    for (const auto& line : lines) {
        EXPECT_EQ(line.actor, "cli");
    }
}

}  // namespace
}  // namespace open311::test
