#pragma once

#include "store/sqlite/database.hpp"

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>

namespace open311::store {

/// Group commit: every write of the store is a job run by one writer thread on the one
/// writer connection. The thread takes all the jobs waiting, runs each inside its own
/// SAVEPOINT of one shared transaction and commits once; a job's caller returns only after
/// that commit. Many concurrent submissions thus share one commit (and, with
/// synchronous=FULL, one fsync), while each stays durable when it is acknowledged. A job that
/// throws is rolled back to its savepoint alone; the others in the batch still commit.
class WriteQueue final {
public:
    /// A write: runs statements on the writer connection. It must not BEGIN or COMMIT itself.
    using Job = std::function<void(Database&)>;

    /// Runs on the writer thread after each batch's callers are answered, outside any
    /// transaction (the WAL upkeep: Checkpointer::after_batch).
    using AfterBatch = std::function<void()>;

    /// Jobs in one transaction at most.
    static constexpr std::size_t kMaxBatch = 512;

    /// Starts the writer thread; `db` is used by that thread only from now on.
    explicit WriteQueue(Database& db,
                        std::size_t max_batch = kMaxBatch,
                        AfterBatch after_batch = {});
    /// Runs the jobs already queued, then stops the writer thread.
    ~WriteQueue();
    WriteQueue(const WriteQueue&) = delete;
    WriteQueue& operator=(const WriteQueue&) = delete;

    /// Runs `job` in the next batch and returns once that batch is committed. Rethrows what
    /// the job threw (its changes are then rolled back), or StoreError when the commit failed.
    void run(const Job& job);

    /// Number of commits so far (for tests and statistics: fewer commits than jobs means
    /// batching happened).
    std::size_t commits() const;
    /// Jobs waiting for the writer now.
    std::size_t pending() const;

private:
    struct Pending {
        const Job* job = nullptr;
        std::exception_ptr error;
        bool done = false;
        /// Its own, so that a commit wakes exactly the callers it answers: with one shared
        /// condition, every waiter (64 under load) woke for every batch and most slept again.
        std::condition_variable committed;
    };

    void loop();
    void run_batch(std::deque<Pending*>& batch);

    Database& db_;
    const std::size_t max_batch_;
    const AfterBatch after_batch_;
    mutable std::mutex mutex_;
    std::condition_variable wake_writer_;
    std::deque<Pending*> queue_;
    /// Atomic: read without the lock on every public list (the list cache's generation).
    std::atomic<std::size_t> commits_{0};
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace open311::store
