#pragma once

#include "store/postgres/pool.hpp"
#include "store/postgres/pq.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace open311::store::pg {

/// Group commit for the writes that do not wait on a thread (new requests): one writer thread
/// takes every job waiting, runs them in one transaction on one pooled connection and commits
/// once, then calls each job's completion. A POST is then one statement round trip of its own
/// instead of BEGIN, INSERT, COMMIT and a change notification, and many share one WAL flush,
/// which is what lets PostgreSQL keep up with SQLite's group commit.
///
/// A job that fails aborts PostgreSQL's whole transaction (unlike SQLite, where a savepoint
/// isolates it). Failures are rare (a duplicate id, a lost connection), so the batch does not
/// pay for a savepoint per job: when a job fails, every job of the batch is run again alone
/// (`run_alone`, the store's ordinary write with its retries), and each gets its own outcome.
/// A COMMIT that fails is not retried (it may have happened), and neither is a batch that got
/// no connection or no BEGIN (the database is unreachable): every job of the batch gets that
/// error.
class BatchWriter final {
public:
    /// Statements on the batch's connection; must not BEGIN or COMMIT, and must be safe to run
    /// again from scratch (see above).
    using Job = std::function<void(Connection&)>;
    /// A job's outcome: null once committed, else what failed.
    using Done = std::function<void(std::exception_ptr)>;
    /// Runs a job as a write of its own (a transaction, retried on conflicts).
    using RunAlone = std::function<void(const Job&)>;
    /// Called once after each committed batch, on the writer thread, with the connection the
    /// batch used (outside any transaction): the change notification.
    using AfterCommit = std::function<void(Connection&)>;

    static constexpr std::size_t kMaxBatch = 256;

    BatchWriter(Pool& pool, RunAlone run_alone, AfterCommit after_commit);
    /// Runs the jobs already queued, then stops the writer thread.
    ~BatchWriter();
    BatchWriter(const BatchWriter&) = delete;
    BatchWriter& operator=(const BatchWriter&) = delete;

    /// Queues `job` for the next batch and returns at once. `done` is called on the writer
    /// thread once that batch is committed (or the job failed): it must be short, must not
    /// throw and must not submit here. When the writer is stopping, `done` is called at once
    /// with StoreError (unavailable).
    void submit(Job job, Done done);

    /// Batches committed so far (for tests: fewer than jobs means batching happened).
    std::size_t commits() const;

private:
    struct Pending {
        Job job;
        Done done;
        std::exception_ptr error;
    };

    void loop();
    void run_batch(std::vector<Pending>& batch);

    Pool& pool_;
    const RunAlone run_alone_;
    const AfterCommit after_commit_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    std::size_t commits_ = 0;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace open311::store::pg
