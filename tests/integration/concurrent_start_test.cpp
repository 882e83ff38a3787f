// Start-up on a new database by several processes at the same moment: migrations run under the
// write lock, so each one is applied once and every process starts (none fails with "table …
// already exists"). The real open311d binary is raced, several rounds, a new file each round.
#include "store/sqlite/migrate.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/child_process.hpp"
#include "support/temp_dir.hpp"
#include "util/embedded.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace open311::test::concurrent_start {
namespace {

constexpr int kRaceRounds = 5;
constexpr int kProcesses = 6;

std::string read_output(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

int count_lines_starting(const std::string& text, const std::string& prefix) {
    int n = 0;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        n += line.rfind(prefix, 0) == 0 ? 1 : 0;
    }
    return n;
}

/// Runs one SQL statement returning one integer on a plain connection (no migration).
std::int64_t query_int(const std::string& db, const std::string& sql) {
    sqlite3* handle = nullptr;
    std::int64_t value = -1;
    if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
            sqlite3_step(stmt) == SQLITE_ROW) {
            value = sqlite3_column_int64(stmt, 0);
        }
        sqlite3_finalize(stmt);
    }
    sqlite3_close(handle);
    return value;
}

int migration_count() {
    return static_cast<int>(embedded_migrations().size());
}

/// Every migration recorded once, and a new open has nothing left to apply.
void expect_fully_migrated(const std::string& db) {
    EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM schema_migrations"), migration_count());
    EXPECT_EQ(query_int(db, "SELECT MAX(version) FROM schema_migrations"),
              store::latest_schema_version());
    EXPECT_EQ(query_int(db, "SELECT journal_mode = 'wal' FROM pragma_journal_mode"), 1);
    store::SqliteStore again(db, "normal");
    EXPECT_TRUE(again.applied_migrations().empty());
}

/// True once the server says it listens; false as soon as it says it cannot serve.
bool started(const ChildProcess& server) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
        const auto err = server.err();
        if (err.find("cannot serve") != std::string::npos) {
            return false;
        }
        const auto at = err.find("listening on");
        if (at != std::string::npos) {
            return port_from_listen_line(err.substr(at, err.find('\n', at) - at)) != 0;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return false;
}

TEST(ConcurrentStart, MigrateProcessesRacingOnANewFileAllSucceed) {
    TempDir dir;
    for (int round = 0; round < kRaceRounds; ++round) {
        const auto db = dir.path() + "/race-" + std::to_string(round) + ".db";
        std::vector<std::unique_ptr<ChildProcess>> children;
        for (int i = 0; i < kProcesses; ++i) {
            children.push_back(std::make_unique<ChildProcess>(
                std::vector<std::string>{OPEN311_BINARY, "migrate", "--db", db},
                std::vector<std::string>{},
                dir.path(),
                "migrate-" + std::to_string(round) + "-" + std::to_string(i)));
        }
        int applied = 0;
        for (int i = 0; i < kProcesses; ++i) {
            const int code = children[static_cast<std::size_t>(i)]->wait();
            EXPECT_EQ(code, 0) << "round " << round << ", process " << i << ": "
                               << children[static_cast<std::size_t>(i)]->err();
            applied +=
                count_lines_starting(read_output(dir.path() + "/migrate-" + std::to_string(round) +
                                                 "-" + std::to_string(i) + ".stdout"),
                                     "applied ");
        }
        // Between them the processes applied each migration exactly once.
        EXPECT_EQ(applied, migration_count()) << "round " << round;
        expect_fully_migrated(db);
    }
}

TEST(ConcurrentStart, ServersStartedTogetherOnANewFileAllServe) {
    TempDir dir;
    constexpr int kServers = 4;
    for (int round = 0; round < 2; ++round) {
        const auto db = dir.path() + "/serve-" + std::to_string(round) + ".db";
        std::vector<std::unique_ptr<ChildProcess>> servers;
        for (int i = 0; i < kServers; ++i) {
            servers.push_back(std::make_unique<ChildProcess>(
                std::vector<std::string>{
                    OPEN311_BINARY, "serve", "--listen", "127.0.0.1:0", "--db", db},
                std::vector<std::string>{},
                dir.path(),
                "serve-" + std::to_string(round) + "-" + std::to_string(i)));
        }
        for (auto& server : servers) {
            EXPECT_TRUE(started(*server)) << "round " << round << ": " << server->err();
        }
        for (auto& server : servers) {
            EXPECT_EQ(server->terminate(), 0) << server->err();
        }
        expect_fully_migrated(db);
    }
}

TEST(ConcurrentStart, StoresOpenedFromThreadsOnANewFileAllOpen) {
    TempDir dir;
    constexpr int kThreads = 6;
    for (int round = 0; round < kRaceRounds; ++round) {
        Config config;
        config.db_path = dir.path() + "/threads-" + std::to_string(round) + ".db";
        config.db_synchronous = "normal";
        std::atomic<bool> go{false};
        std::atomic<int> applied{0};
        std::vector<std::string> errors(kThreads);
        std::vector<std::thread> threads;
        for (int i = 0; i < kThreads; ++i) {
            threads.emplace_back([&, i] {
                while (!go) {
                    std::this_thread::yield();
                }
                try {
                    auto store = make_store(config);
                    applied += static_cast<int>(store->applied_migrations().size());
                } catch (const std::exception& e) {
                    errors[static_cast<std::size_t>(i)] = e.what();
                }
            });
        }
        go = true;
        for (auto& t : threads) {
            t.join();
        }
        for (const auto& error : errors) {
            EXPECT_EQ(error, "") << "round " << round;
        }
        EXPECT_EQ(applied.load(), migration_count()) << "round " << round;
        expect_fully_migrated(config.db_path);
    }
}

TEST(ConcurrentStart, ADatabaseNewerThanTheBinaryIsStillRefused) {
    TempDir dir;
    const auto db = dir.path() + "/newer.db";
    { store::SqliteStore created(db, "normal"); }
    const auto newer = std::to_string(store::latest_schema_version() + 1);
    ASSERT_EQ(query_int(db,
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
                            newer + ", '" + newer + "_future.sql', 0) RETURNING version"),
              store::latest_schema_version() + 1);
    try {
        store::SqliteStore refused(db, "normal");
        ADD_FAILURE() << "a database newer than the binary was opened";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), make_error_code(StoreErrc::incompatible)) << e.what();
        EXPECT_NE(std::string(e.what()).find("upgrade open311d"), std::string::npos) << e.what();
    }
    EXPECT_EQ(query_int(db, "SELECT COUNT(*) FROM schema_migrations"), migration_count() + 1);
}

}  // namespace
}  // namespace open311::test::concurrent_start
