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
#include <condition_variable>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
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

/// WriteCompletions of submitted jobs: how many ran, with how many errors; waits for them all.
class WriteCompletions {
public:
    store::WriteQueue::Done done() {
        return [this](std::exception_ptr error) {
            std::lock_guard lock(mutex_);
            ++ran_;
            if (error) {
                ++failed_;
            }
            changed_.notify_all();
        };
    }
    void wait_for(int n) {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this, n] { return ran_ >= n; });
    }
    int failed() {
        std::lock_guard lock(mutex_);
        return failed_;
    }

private:
    std::mutex mutex_;
    std::condition_variable changed_;
    int ran_ = 0;
    int failed_ = 0;
};

TEST(WriteQueue, ASubmittedJobsCompletionRunsAfterItsCommit) {
    TempDir dir;
    const std::string path = dir.path() + "/q.db";
    store::Database db(path, {});
    db.exec(std::string(kCreateSql));
    store::WriteQueue queue(db);
    std::mutex mutex;
    std::condition_variable changed;
    std::optional<std::int64_t> seen;
    queue.submit([](store::Database& d) { insert(d, 7); },
                 [&](std::exception_ptr error) {
                     // Another connection sees the row already: it is committed.
                     store::Database other(path, {});
                     std::lock_guard lock(mutex);
                     seen = error ? -1 : count_rows(other);
                     changed.notify_all();
                 });
    std::unique_lock lock(mutex);
    changed.wait(lock, [&seen] { return seen.has_value(); });
    EXPECT_EQ(*seen, 1);
    EXPECT_EQ(queue.commits(), 1U);
}

// The point of submit: one thread holds many writes waiting at once, and they share a commit.
TEST(WriteQueue, ManyPendingSubmissionsFromOneThreadShareOneCommit) {
    TempDir dir;
    const std::string path = dir.path() + "/q.db";
    store::Database db(path, {});
    db.exec(std::string(kCreateSql));
    constexpr int kJobs = 100;
    WriteCompletions completions;
    {
        store::WriteQueue queue(db);
        std::thread holder;
        hold_until_queued(queue, kJobs, holder);
        for (int i = 0; i < kJobs; ++i) {
            queue.submit([i](store::Database& d) { insert(d, i); }, completions.done());
        }
        completions.wait_for(kJobs);
        holder.join();
        EXPECT_EQ(queue.commits(), 2U);  // the held job's, then one for all the submitted
    }
    EXPECT_EQ(completions.failed(), 0);
    store::Database reader(path, {});
    EXPECT_EQ(count_rows(reader), kJobs + 1);
}

TEST(WriteQueue, AFailingSubmittedJobGetsItsErrorAndTheOthersCommit) {
    TempDir dir;
    const std::string path = dir.path() + "/q.db";
    store::Database db(path, {});
    db.exec(std::string(kCreateSql));
    WriteCompletions good;
    std::exception_ptr bad_error;
    {
        store::WriteQueue queue(db);
        std::thread holder;
        hold_until_queued(queue, 3, holder);
        queue.submit([](store::Database& d) { insert(d, 1); }, good.done());
        queue.submit([](store::Database& d) { insert(d, -1); },  // the held job's value
                     [&bad_error](std::exception_ptr error) { bad_error = std::move(error); });
        queue.submit([](store::Database& d) { insert(d, 3); }, good.done());
        good.wait_for(2);
        holder.join();
    }  // the queue's end: every completion has run
    EXPECT_EQ(good.failed(), 0);
    ASSERT_TRUE(bad_error);
    EXPECT_THROW(std::rethrow_exception(bad_error), StoreError);
    store::Database reader(path, {});
    EXPECT_EQ(count_rows(reader), 3);  // -1, 1 and 3
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
