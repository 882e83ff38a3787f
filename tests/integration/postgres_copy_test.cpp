// `open311d copy`: a seeded SQLite database copied to PostgreSQL answers the same queries with
// the same documents, and copied back to SQLite holds the same rows; a target that holds data
// is refused unless --replace is given.
#include "support/cli_run.hpp"
#include "support/plain_server.hpp"
#include "support/postgres_scratch.hpp"
#include "support/server_fixture.hpp"
#include "support/staff_api.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

namespace open311::test {
namespace {

/// Runs `open311d copy ARGS` in `dir`.
CliRun copy(const std::string& dir, const std::string& args) {
    return run_cli(dir, "copy " + args, "", 120);
}

/// The "table: rows" lines of a copy's report.
std::map<std::string, long> counts(const std::string& out) {
    std::map<std::string, long> rows;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);) {
        const auto colon = line.find(": ");
        if (colon != std::string::npos && line.rfind("copied ", 0) != 0) {
            rows[line.substr(0, colon)] = std::stol(line.substr(colon + 2));
        }
    }
    return rows;
}

std::string quoted(const std::string& text) {
    return shell_quoted(text);
}

TEST(PostgresCopy, ACopiedDatabaseGivesTheSameAnswers) {
    TempDir dir;
    TestServer source([&](Config& c) { c.db_path = dir.path() + "/source.db"; });
    std::vector<std::string> ids;
    for (int i = 0; i < 3; ++i) {
        ids.push_back(source.submit_published(
            {{"description", "Katuvalo " + std::to_string(i)}, {"email", "asukas@example.org"}}));
    }
    ids.push_back(source.submit({{"description", "Odottaa tarkastusta"}}));  // pending
    auto closed = staff_call(source,
                             "PATCH",
                             "/admin/v1/requests/" + ids[0],
                             source.staff_key,
                             R"({"status": "closed", "status_notes": "Korjattu."})");
    ASSERT_EQ(closed.status, 200) << closed.body;
    const Config config = source.config();
    source.stop();

    PostgresSchema schema;
    auto to_pg =
        copy(dir.path(), "--from " + quoted(config.db_path) + " --to " + quoted(schema.url()));
    ASSERT_EQ(to_pg.code, 0) << to_pg.err;
    const auto rows = counts(to_pg.out);
    EXPECT_EQ(rows.at("requests"), 4);
    EXPECT_EQ(rows.at("api_keys"), 3);
    EXPECT_GT(rows.at("services"), 0);
    EXPECT_GT(rows.at("audit_log"), 0);
    EXPECT_EQ(rows.at("outbox"), 1);  // the closing's e-mail, still to be sent

    {
        PlainServer from(config, config.db_path);
        PlainServer to(config, schema.url());
        const std::vector<std::string> public_targets = {
            "/requests.json",
            "/requests.json?status=closed",
            "/requests.json?lat=60.17&long=24.94&radius=2000",
            "/requests/" + ids[0] + ".json",
            "/requests/" + ids[1] + ".json?extensions=true",
            "/requests/" + ids[3] + ".json",
            "/services.json",
            "/services/171.json",
            "/servicerequestupdates.json",
        };
        for (const auto& target : public_targets) {
            auto a = from.client().get(config.base_path + target);
            auto b = to.client().get(config.base_path + target);
            EXPECT_EQ(a.status, b.status) << target;
            EXPECT_EQ(a.json(), b.json()) << target;
        }
        auto xml_a = from.client().get(config.base_path + "/requests.xml");
        auto xml_b = to.client().get(config.base_path + "/requests.xml");
        std::ostringstream text_a;
        std::ostringstream text_b;
        xml_a.xml()->save(text_a);
        xml_b.xml()->save(text_b);
        EXPECT_EQ(text_a.str(), text_b.str());
        // The staff API with a key that was copied (only its hash is stored).
        for (const std::string& target : std::vector<std::string>{
                 "/admin/v1/requests", "/admin/v1/requests/" + ids[0], "/admin/v1/audit"}) {
            const std::map<std::string, std::string> auth = {
                {"Authorization", "Bearer " + source.staff_key}};
            auto a = from.client().get(target, auth);
            auto b = to.client().get(target, auth);
            ASSERT_EQ(a.status, 200) << target << a.body;
            EXPECT_EQ(b.status, 200) << target << b.body;
            EXPECT_EQ(a.json(), b.json()) << target;
        }
    }

    // Refused once it holds data; --replace empties it first.
    auto again =
        copy(dir.path(), "--from " + quoted(config.db_path) + " --to " + quoted(schema.url()));
    EXPECT_EQ(again.code, 1);
    EXPECT_NE(again.err.find("already holds data"), std::string::npos) << again.err;
    auto replaced =
        copy(dir.path(),
             "--from " + quoted(config.db_path) + " --to " + quoted(schema.url()) + " --replace");
    ASSERT_EQ(replaced.code, 0) << replaced.err;
    EXPECT_EQ(counts(replaced.out), rows);

    // A source that does not exist is refused, not created.
    auto missing = copy(dir.path(),
                        "--from " + quoted(dir.path() + "/missing.db") + " --to " +
                            quoted(dir.path() + "/other.db"));
    EXPECT_EQ(missing.code, 1);
    EXPECT_NE(missing.err.find("no database file"), std::string::npos) << missing.err;
    EXPECT_FALSE(std::filesystem::exists(dir.path() + "/missing.db"));

    // And back: PostgreSQL to a new SQLite file holds the same rows.
    auto back = copy(dir.path(),
                     "--from " + quoted(schema.url()) + " --to " + quoted(dir.path() + "/back.db"));
    ASSERT_EQ(back.code, 0) << back.err;
    EXPECT_EQ(counts(back.out), rows);
    PlainServer round_trip(config, dir.path() + "/back.db");
    auto one = round_trip.client().get(config.base_path + "/requests/" + ids[1] + ".json");
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(one.json()[0]["service_request_id"], ids[1]);
}

}  // namespace
}  // namespace open311::test
