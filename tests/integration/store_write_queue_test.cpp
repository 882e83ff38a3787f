// Group commit (bench/README.md, docs/operations.md): writes from many threads share one
// transaction, each acknowledged only after its commit, a failing write rolled back alone.
// Real SQLite files in a temporary directory.
#include "seed/generator.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/write_queue.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <thread>
#include <vector>

namespace open311::test {
namespace {

constexpr std::string_view kCreateSql = "CREATE TABLE t (v INTEGER NOT NULL UNIQUE)";
constexpr std::string_view kInsertSql = "INSERT INTO t (v) VALUES (?)";
constexpr std::string_view kCountSql = "SELECT COUNT(*) FROM t";

std::int64_t count_rows(store::Database& db) {
    store::StatementScope s(db.cached(kCountSql));
    s->step();
    return s->int64(0);
}

void insert(store::Database& db, int value) {
    store::StatementScope s(db.cached(kInsertSql));
    s->bind(1, value).run();
}

/// Holds the writer inside a first job until `n` more jobs are queued, so that those are
/// certain to share the next commit.
void hold_until_queued(store::WriteQueue& queue, std::size_t n, std::thread& holder) {
    std::atomic<bool> started{false};
    holder = std::thread([&queue, &started, n] {
        queue.run([&queue, &started, n](store::Database& db) {
            started = true;
            while (queue.pending() < n) {
                std::this_thread::yield();
            }
            insert(db, -1);
        });
    });
    while (!started) {
        std::this_thread::yield();
    }
}

TEST(WriteQueue, ConcurrentWritesShareOneCommitAndAllPersist) {
    TempDir dir;
    const std::string path = dir.path() + "/q.db";
    store::Database db(path, {});
    db.exec(std::string(kCreateSql));
    constexpr int kWriters = 24;
    {
        store::WriteQueue queue(db);
        std::thread holder;
        hold_until_queued(queue, kWriters, holder);
        std::vector<std::thread> writers;
        for (int i = 0; i < kWriters; ++i) {
            writers.emplace_back(
                [&queue, i] { queue.run([i](store::Database& d) { insert(d, i); }); });
        }
        for (auto& t : writers) {
            t.join();
        }
        holder.join();
        // The held job's commit, then one commit for all the others.
        EXPECT_EQ(queue.commits(), 2U);
    }
    // Acknowledged means committed: a fresh connection sees every row.
    store::Database reader(path, {});
    EXPECT_EQ(count_rows(reader), kWriters + 1);
}

TEST(WriteQueue, AFailingJobIsRolledBackAloneAndItsCallerGetsTheError) {
    TempDir dir;
    const std::string path = dir.path() + "/q.db";
    store::Database db(path, {});
    db.exec(std::string(kCreateSql));
    {
        store::WriteQueue queue(db);
        std::thread holder;
        hold_until_queued(queue, 3, holder);
        std::atomic<int> failures{0};
        std::thread good1([&] { queue.run([](store::Database& d) { insert(d, 1); }); });
        std::thread bad([&] {
            try {
                queue.run([](store::Database& d) {
                    insert(d, 100);  // written, then undone with its savepoint
                    insert(d, -1);   // the held job's value: a UNIQUE violation
                });
            } catch (const StoreError&) {
                ++failures;
            }
        });
        std::thread good2([&] { queue.run([](store::Database& d) { insert(d, 3); }); });
        good1.join();
        bad.join();
        good2.join();
        holder.join();
        EXPECT_EQ(failures, 1);
    }
    store::Database reader(path, {});
    EXPECT_EQ(count_rows(reader), 3);  // -1, 1 and 3
    store::StatementScope s(reader.cached("SELECT COUNT(*) FROM t WHERE v = 100"));
    s->step();
    EXPECT_EQ(s->int64(0), 0) << "the failed job's first row must be rolled back";
}

TEST(WriteQueue, StoreWritesFromManyThreadsAreAllStored) {
    TempDir dir;
    store::SqliteStore store(dir.path() + "/s.db", "normal");
    Service service;
    service.code = "171";
    service.translations["fi"] = ServiceTranslation{"Roskaaminen", "", "", ""};
    store.upsert_services({service});
    constexpr int kThreads = 16;
    constexpr int kEach = 25;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&store, t] {
            seed::Generator generator({"171"}, 1700000000, static_cast<std::uint64_t>(t) + 1);
            for (int i = 0; i < kEach; ++i) {
                store.insert_request(generator.next());
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    RequestFilter all;
    all.states = {ModerationState::published};
    all.limit = 1;
    EXPECT_EQ(store.search_requests(all).total, kThreads * kEach);
    EXPECT_LE(store.commits(), static_cast<std::size_t>(kThreads * kEach + 1));
}

// A sustained burst of writes must not leave a WAL that grows with it: the writer copies what
// the background checkpoint left between batches, so the WAL starts over, and
// journal_size_limit cuts its file back. 64 MB are written, four times the limit.
TEST(WriteQueue, WalFileStaysBoundedAfterABurstOfWrites) {
    TempDir dir;
    const std::string path = dir.path() + "/w.db";
    store::SqliteStore store(path, "normal");
    store.write([](store::Database& db) { db.exec("CREATE TABLE burst (data BLOB NOT NULL)"); });
    constexpr int kThreads = 8;
    constexpr int kEach = 32;
    constexpr int kBlobBytes = 256 * 1024;
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&store] {
            for (int i = 0; i < kEach; ++i) {
                store.write([](store::Database& db) {
                    store::StatementScope s(db.cached("INSERT INTO burst VALUES (randomblob(?))"));
                    s->bind(1, kBlobBytes).run();
                });
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    // One more write after the burst: the WAL starts over at a write, and is truncated at its
    // commit.
    store.write([](store::Database& db) { db.exec("DELETE FROM burst WHERE rowid = 1"); });
    const auto wal = std::filesystem::file_size(path + "-wal");
    // The bound: the limit, plus the frames of one batch (at most kThreads blobs) that may
    // land past it before the writer copies them.
    constexpr auto kBound = static_cast<std::uintmax_t>(store::Checkpointer::kLimitBytes) +
                            static_cast<std::uintmax_t>(2 * kThreads * kBlobBytes);
    EXPECT_LE(wal, kBound) << "WAL file of " << wal << " bytes after "
                           << kThreads * kEach * kBlobBytes << " bytes written";
    store::Database check(path, {});
    store::StatementScope s(check.cached("SELECT COUNT(*) FROM burst"));
    s->step();
    EXPECT_EQ(s->int64(0), kThreads * kEach - 1);
}

}  // namespace
}  // namespace open311::test
