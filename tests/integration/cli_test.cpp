// The command line (issue 2, "Command line"): the real open311d binary run as a child process
// in a temporary directory; one server test shows that keys take effect without a restart.
#include "store/sqlite/request_query.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/cli_run.hpp"
#include "support/server_fixture.hpp"
#include "util/random.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace open311::test {
namespace {

using Run = CliRun;

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

/// Runs `open311d ARGS` in `dir`.
Run run(const std::string& dir, const std::string& args) {
    return run_cli(dir, args);
}

std::string quoted(const std::string& text) {
    return shell_quoted(text);
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (!line.empty()) {
            out.push_back(line);
        }
    }
    return out;
}

/// Creates a key with the CLI and returns the secret printed on the last line.
std::string create_key(const std::string& dir,
                       const std::string& db,
                       const std::string& name,
                       const std::string& role,
                       const std::string& extra = "") {
    auto r =
        run(dir, "keys create --name " + name + " --role " + role + " --db " + quoted(db) + extra);
    EXPECT_EQ(r.code, 0) << r.err;
    auto all = lines(r.out);
    return all.empty() ? std::string() : all.back();
}

}  // namespace

TEST(Cli, MigrateIsIdempotent) {
    TempDir dir;
    const auto db = dir.path() + "/m.db";
    auto first = run(dir.path(), "migrate --db " + quoted(db));
    ASSERT_EQ(first.code, 0) << first.err;
    EXPECT_NE(first.out.find("applied"), std::string::npos) << first.out;
    auto second = run(dir.path(), "migrate --db " + quoted(db));
    ASSERT_EQ(second.code, 0) << second.err;
    EXPECT_EQ(second.out.find("applied"), std::string::npos) << second.out;
    EXPECT_FALSE(second.out.empty());
}

TEST(Cli, KeysCreatePrintsTheKeyAloneOnTheLastLine) {
    TempDir dir;
    const auto db = dir.path() + "/k.db";
    auto r = run(dir.path(), "keys create --name app --role client --db " + quoted(db));
    ASSERT_EQ(r.code, 0) << r.err;
    auto all = lines(r.out);
    ASSERT_FALSE(all.empty());
    const auto secret = all.back();
    EXPECT_GE(secret.size(), 20U) << secret;
    EXPECT_EQ(secret.find_first_of(" \t:'"), std::string::npos) << secret;
    // The secret is stored hashed: the store finds it by its hash, with the role asked for.
    store::SqliteStore store(db, "normal");
    auto key = store.find_key_by_hash(sha256_hex(secret));
    ASSERT_TRUE(key.has_value());
    EXPECT_EQ(key->name, "app");
    EXPECT_EQ(key->role, Role::client);

    auto again = run(dir.path(), "keys create --name app --role staff --db " + quoted(db));
    EXPECT_NE(again.code, 0);
    EXPECT_NE(again.err.find("app"), std::string::npos) << again.err;
}

TEST(Cli, KeysListNeverPrintsSecrets) {
    TempDir dir;
    const auto db = dir.path() + "/l.db";
    const auto a = create_key(dir.path(), db, "alpha", "client");
    const auto b = create_key(dir.path(), db, "beta", "admin");
    ASSERT_FALSE(a.empty());
    ASSERT_FALSE(b.empty());
    auto r = run(dir.path(), "keys list --db " + quoted(db));
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("alpha"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("beta"), std::string::npos) << r.out;
    for (const auto* secret : {&a, &b}) {
        EXPECT_EQ(r.out.find(*secret), std::string::npos) << r.out;
        EXPECT_EQ(r.err.find(*secret), std::string::npos) << r.err;
    }
}

TEST(Cli, KeysRevoke) {
    TempDir dir;
    const auto db = dir.path() + "/r.db";
    const auto secret = create_key(dir.path(), db, "gone", "staff");
    auto r = run(dir.path(), "keys revoke gone --db " + quoted(db));
    ASSERT_EQ(r.code, 0) << r.err;
    {
        store::SqliteStore store(db, "normal");
        auto key = store.find_key_by_hash(sha256_hex(secret));
        ASSERT_TRUE(key.has_value());
        EXPECT_TRUE(key->revoked_at.has_value());
    }
    auto list = run(dir.path(), "keys list --db " + quoted(db));
    EXPECT_NE(list.out.find("revoked"), std::string::npos) << list.out;
    EXPECT_NE(run(dir.path(), "keys revoke gone --db " + quoted(db)).code, 0);
    EXPECT_NE(run(dir.path(), "keys revoke never-existed --db " + quoted(db)).code, 0);
}

TEST(Cli, InvalidRoleOrDateFails) {
    TempDir dir;
    const auto db = dir.path() + "/i.db";
    auto role = run(dir.path(), "keys create --name x --role superuser --db " + quoted(db));
    EXPECT_NE(role.code, 0);
    EXPECT_NE(role.err.find("role"), std::string::npos) << role.err;
    auto date = run(dir.path(),
                    "keys create --name y --role client --expires 31.12.2030 --db " + quoted(db));
    EXPECT_NE(date.code, 0);
    EXPECT_NE(date.err.find("expires"), std::string::npos) << date.err;
    auto list = run(dir.path(), "keys list --db " + quoted(db));
    EXPECT_EQ(list.out.find("superuser"), std::string::npos);
    EXPECT_EQ(lines(list.out).size(), 1U) << list.out;  // the header line only
}

TEST(Cli, ServicesImport) {
    TempDir dir;
    const auto db = dir.path() + "/s.db";
    auto r = run(dir.path(),
                 "services import " +
                     quoted(std::string(OPEN311_SOURCE_DIR) + "/config/demo-services.json") +
                     " --db " + quoted(db));
    ASSERT_EQ(r.code, 0) << r.err;
    {
        store::SqliteStore store(db, "normal");
        EXPECT_GE(store.count_services(), 20);
        auto chain = store.find_service("2806.10.2.2");
        EXPECT_TRUE(chain.has_value());
    }
    const auto bad = dir.path() + "/bad.json";
    write_file(bad, R"({"services": [{"type": "realtime"}]})");
    auto invalid = run(dir.path(), "services import " + quoted(bad) + " --db " + quoted(db));
    EXPECT_NE(invalid.code, 0);
    EXPECT_FALSE(invalid.err.empty());
    write_file(bad, "this is not json");
    auto garbage = run(dir.path(), "services import " + quoted(bad) + " --db " + quoted(db));
    EXPECT_NE(garbage.code, 0);
    EXPECT_FALSE(garbage.err.empty());
    auto missing = run(
        dir.path(), "services import " + quoted(dir.path() + "/nope.json") + " --db " + quoted(db));
    EXPECT_NE(missing.code, 0);
    EXPECT_FALSE(missing.err.empty());
}

TEST(Cli, ServeRefusesAnUnknownConfigKey) {
    TempDir dir;
    const auto config = dir.path() + "/open311d.toml";
    write_file(config,
               "[server]\nlisten = \"127.0.0.1:0\"\nbogus_setting = 1\n\n[database]\npath = \"" +
                   dir.path() + "/c.db\"\n");
    auto r = run(dir.path(), "serve --config " + quoted(config));
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("bogus_setting"), std::string::npos) << r.err;
}

TEST(Cli, ServeRefusesInvalidValues) {
    TempDir dir;
    const auto db = quoted(dir.path() + "/v.db");
    auto listen = run(dir.path(), "serve --listen nonsense --db " + db);
    EXPECT_NE(listen.code, 0);
    EXPECT_NE(listen.err.find("listen"), std::string::npos) << listen.err;
    auto port = run(dir.path(), "serve --listen 127.0.0.1:99999 --db " + db);
    EXPECT_NE(port.code, 0);
    EXPECT_NE(port.err.find("listen"), std::string::npos) << port.err;
    auto profile = run(dir.path(), "serve --listen 127.0.0.1:0 --profile nope --db " + db);
    EXPECT_NE(profile.code, 0);
    EXPECT_NE(profile.err.find("profile"), std::string::npos) << profile.err;
}

TEST(Cli, KeysChangedWhileTheServerRunsTakeEffectAtOnce) {
    TestServer server;
    TempDir dir;
    const auto& db = server.config().db_path;
    const auto secret = create_key(dir.path(), db, "live-client", "client");
    ASSERT_FALSE(secret.empty());
    auto body = [](const std::string& key) {
        return form({{"api_key", key},
                     {"service_code", "171"},
                     {"lat", "60.17"},
                     {"long", "24.94"},
                     {"description", "Avaimen kokeilu"}});
    };
    auto ok = server.client().post_form(server.base() + "/requests.json", body(secret));
    EXPECT_EQ(ok.status, 200) << ok.body;

    auto revoked = run(dir.path(), "keys revoke live-client --db " + quoted(db));
    ASSERT_EQ(revoked.code, 0) << revoked.err;
    auto denied = server.client().post_form(server.base() + "/requests.json", body(secret));
    EXPECT_EQ(denied.status, 403) << denied.body;
    EXPECT_EQ(denied.json()[0].value("code", 0), 403);

    // A staff key made by the CLI opens the moderation queue at once.
    const auto staff = create_key(dir.path(), db, "live-staff", "staff");
    auto queue = server.client().request(
        "GET", "/admin/v1/requests?state=pending", "", {{"Authorization", "Bearer " + staff}});
    EXPECT_EQ(queue.status, 200) << queue.body;
    EXPECT_EQ(queue.json()["total"].get<int>(), 1);

    // Expiry: valid through the end of its day; a day in the past is already over.
    const auto expired =
        create_key(dir.path(), db, "old-client", "client", " --expires 2020-01-01");
    EXPECT_EQ(server.client().post_form(server.base() + "/requests.json", body(expired)).status,
              403);
    const auto future = create_key(dir.path(), db, "new-client", "client", " --expires 2999-12-31");
    EXPECT_EQ(server.client().post_form(server.base() + "/requests.json", body(future)).status,
              200);
}

}  // namespace open311::test

namespace open311::test {
namespace {

TEST(Cli, SeedAddsPublishedRequestsThroughTheStore) {
    TempDir dir;
    const auto db = dir.path() + "/seed.db";
    const auto catalogue = std::string(OPEN311_SOURCE_DIR) + "/config/demo-services.json";
    ASSERT_EQ(run(dir.path(), "services import " + quoted(catalogue) + " --db " + quoted(db)).code,
              0);
    auto r = run(dir.path(), "seed --count 1500 --db " + quoted(db));
    ASSERT_EQ(r.code, 0) << r.err;
    store::SqliteStore store(db, "normal");
    RequestFilter all;
    all.states = {ModerationState::published};
    all.limit = 5;
    auto page = store.search_requests(all);
    EXPECT_EQ(page.total, 1500);
    ASSERT_EQ(page.items.size(), 5U);
    for (const auto& item : page.items) {
        EXPECT_TRUE(store.find_service(item.service_code).has_value()) << item.service_code;
        EXPECT_FALSE(item.description.empty());
    }
    // The map cells were written by the same store code: map searches find them, over the
    // seeded area (read cell by cell), over all of Finland (more cells than the grid reads one
    // by one: the time index, each point tested) and over a corner of the area.
    RequestFilter near;
    near.states = {ModerationState::published};
    near.box = GeoBox{24.78, 60.13, 25.20, 60.30};
    near.limit = 1;
    EXPECT_EQ(store.search_requests(near).total, 1500);
    near.box = GeoBox{19.0, 59.5, 31.6, 70.1};
    ASSERT_TRUE(store::list_sql(near).in_index_order);
    EXPECT_EQ(store.search_requests(near).total, 1500);
    RequestFilter everything;
    everything.states = {ModerationState::published};
    everything.limit = 1500;
    const GeoBox corner{24.9, 60.15, 25.0, 60.2};
    std::int64_t in_corner = 0;
    for (const auto& seeded : store.search_requests(everything).items) {
        in_corner += *seeded.lon >= corner.min_lon && *seeded.lon <= corner.max_lon &&
                     *seeded.lat >= corner.min_lat && *seeded.lat <= corner.max_lat;
    }
    near.box = corner;
    EXPECT_GT(in_corner, 0);
    EXPECT_EQ(store.search_requests(near).total, in_corner);
}

TEST(Cli, SeedRefusesAnEmptyCatalogueAndABadCount) {
    TempDir dir;
    const auto db = dir.path() + "/seed.db";
    EXPECT_NE(run(dir.path(), "seed --count 10 --db " + quoted(db)).code, 0);
    EXPECT_NE(run(dir.path(), "seed --count 0 --db " + quoted(db)).code, 0);
    EXPECT_NE(run(dir.path(), "seed --db " + quoted(db)).code, 0);
}

}  // namespace
}  // namespace open311::test
