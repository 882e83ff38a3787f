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
#include <vector>

namespace open311::store {

/// Group commit: every write of the store is a job run by one writer thread on the one
/// writer connection. The thread takes all the jobs waiting, runs each inside its own
/// SAVEPOINT of one shared transaction and commits once; a job's caller learns its outcome
/// only after that commit, either waiting for it (run) or through a completion the writer
/// calls (submit), which holds no thread while the batch gathers and commits. Many concurrent
/// submissions thus share one commit (and, with synchronous=FULL, one fsync), while each stays
/// durable when it is acknowledged. A job that throws is rolled back to its savepoint alone;
/// the others in the batch still commit.
class WriteQueue final {
public:
    /// A write: runs statements on the writer connection. It must not BEGIN or COMMIT itself.
    using Job = std::function<void(Database&)>;
    /// A submitted job's outcome: null once its batch is committed, else what failed (what the
    /// job threw, or the commit's StoreError).
    using Done = std::function<void(std::exception_ptr)>;

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
    /// Queues `job` for the next batch and returns at once. `done` is called on the writer
    /// thread once that batch is committed (or the job failed), before the next batch starts:
    /// it must be short and must not throw, and must not write through this queue (it would
    /// wait on itself); a caller with more to do hands that to another thread. When the queue
    /// is stopping, `done` is called at once, on the calling thread, with StoreError
    /// (unavailable).
    void submit(Job job, Done done);

    /// Number of commits so far (for tests and statistics: fewer commits than jobs means
    /// batching happened).
    std::size_t commits() const;
    /// Jobs waiting for the writer now.
    std::size_t pending() const;

private:
    struct Pending {
        Job job;
        Done done;
        std::exception_ptr error;
    };

    void loop();
    void run_batch(std::vector<Pending>& batch);

    Database& db_;
    const std::size_t max_batch_;
    const AfterBatch after_batch_;
    mutable std::mutex mutex_;
    std::condition_variable wake_writer_;
    std::deque<Pending> queue_;
    /// Atomic: read without the lock on every public list (the list cache's generation).
    std::atomic<std::size_t> commits_{0};
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace open311::store
