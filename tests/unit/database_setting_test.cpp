// The database setting: a file path (SQLite) or a postgresql:// URI, from every source, and
// never shown with its password.
#include "media/storage.hpp"
#include "store/backends.hpp"

#include "open311/config.hpp"
#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace open311 {
namespace {

TEST(DatabaseSetting, TheUrlVariableSetsTheDatabase) {
    const std::string url = "postgresql://open311d@db.internal/open311d";
    auto c = load_config(std::nullopt, {"OPEN311_DATABASE_URL=" + url}, {});
    EXPECT_EQ(c.db_path, url);
    EXPECT_TRUE(store::is_postgres_url(c.db_path));
    auto flag =
        load_config(std::nullopt, {"OPEN311_DATABASE_URL=" + url}, {{"database.path", "x.db"}});
    EXPECT_EQ(flag.db_path, "x.db");  // a flag still wins
    EXPECT_FALSE(store::is_postgres_url(flag.db_path));
}

TEST(DatabaseSetting, PoolSizeIsAWholeNumberInRange) {
    EXPECT_EQ(load_config(std::nullopt, {}, {}).db_pool_size, 10U);
    EXPECT_EQ(load_config(std::nullopt, {"OPEN311_DATABASE_POOL_SIZE=25"}, {}).db_pool_size, 25U);
    for (const char* bad : {"0", "1001", "-1", "ten"}) {
        try {
            load_config(std::nullopt, {}, {{"database.pool_size", bad}});
            FAIL() << "accepted pool size " << bad;
        } catch (const ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find("database.pool_size"), std::string::npos);
        }
    }
}

TEST(DatabaseSetting, BothUriSchemesArePostgres) {
    EXPECT_TRUE(store::is_postgres_url("postgresql://h/db"));
    EXPECT_TRUE(store::is_postgres_url("postgres://h/db"));
    EXPECT_FALSE(store::is_postgres_url("/var/lib/open311d/open311d.db"));
    EXPECT_FALSE(store::is_postgres_url("postgresql.db"));
}

TEST(DatabaseSetting, PasswordsAreRedacted) {
    using store::redacted_database;
    EXPECT_EQ(redacted_database("data/open311d.db"), "data/open311d.db");
    EXPECT_EQ(redacted_database("postgresql://u:p%40ss@db:5432/x"), "postgresql://u:***@db:5432/x");
    EXPECT_EQ(redacted_database("postgresql://u@db/x"), "postgresql://u@db/x");
    EXPECT_EQ(redacted_database("postgresql://db/x?password=secret&sslmode=require"),
              "postgresql://db/x?password=***&sslmode=require");
    EXPECT_EQ(redacted_database("postgresql://u:a@b@db/x?sslmode=require&password=secret"),
              "postgresql://u:***@db/x?sslmode=require&password=***");
    EXPECT_EQ(redacted_database("postgresql:///x?host=/run/postgresql"),
              "postgresql:///x?host=/run/postgresql");
    EXPECT_EQ(redacted_database("mysql://u:secret@db/x"), "mysql://u:***@db/x");
}

TEST(DatabaseSetting, AnotherSchemeIsRefusedWithoutItsPassword) {
    Config c;
    c.db_path = "mysql://u:secret@db/x";
    try {
        make_store(c);
        FAIL() << "opened " << c.db_path;
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::unavailable);
        EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos) << e.what();
    }
}

TEST(DatabaseSetting, MediaOfAPostgresDatabaseGoToTheWorkingDirectory) {
    Config c;
    c.db_path = "postgresql://u:secret@db/x";
    EXPECT_EQ(media::media_directory(c), "media");
    c.media_dir = "/srv/media";
    EXPECT_EQ(media::media_directory(c), "/srv/media");
}

}  // namespace
}  // namespace open311
