#include "store/sqlite/write_queue.hpp"

#include "telemetry/process_metrics.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>
#include <vector>

namespace open311::store {
namespace {

// clang-format off
constexpr std::string_view kBeginSql = "BEGIN IMMEDIATE";
constexpr std::string_view kCommitSql = "COMMIT";
constexpr std::string_view kRollbackSql = "ROLLBACK";
constexpr std::string_view kSavepointSql = "SAVEPOINT job";
constexpr std::string_view kReleaseSql = "RELEASE job";
constexpr std::string_view kRollbackToSql = "ROLLBACK TO job";
// clang-format on

void run_sql(Database& db, std::string_view sql) {
    StatementScope s(db.cached(sql));
    s->run();
}

bool in_transaction(Database& db) {
    return sqlite3_get_autocommit(db.handle()) == 0;
}

}  // namespace

WriteQueue::WriteQueue(Database& db, std::size_t max_batch, AfterBatch after_batch)
    : db_(db),
      max_batch_(max_batch),
      after_batch_(std::move(after_batch)),
      thread_([this] { loop(); }) {}

WriteQueue::~WriteQueue() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_writer_.notify_one();
    thread_.join();
}

void WriteQueue::run(const Job& job) {
    struct Wait {
        bool done = false;
        std::exception_ptr error;
        /// Its own, so that a commit wakes exactly the callers it answers: with one shared
        /// condition, every waiter (64 under load) woke for every batch and most slept again.
        std::condition_variable committed;
    } wait;
    submit([&job](Database& db) { job(db); },
           [this, &wait](std::exception_ptr error) {
               // Notified under the lock: the caller cannot see `done`, return and destroy
               // `wait` before the notification has reached it.
               std::lock_guard lock(mutex_);
               wait.error = std::move(error);
               wait.done = true;
               wait.committed.notify_one();
           });
    std::unique_lock lock(mutex_);  // `done` may have run already (a stopping queue)
    wait.committed.wait(lock, [&wait] { return wait.done; });
    if (wait.error) {
        std::rethrow_exception(wait.error);
    }
}

void WriteQueue::submit(Job job, Done done) {
    std::unique_lock lock(mutex_);
    if (stopping_) {
        lock.unlock();
        done(std::make_exception_ptr(StoreError(StoreErrc::unavailable, "the store is closing")));
        return;
    }
    queue_.push_back(Pending{std::move(job), std::move(done), nullptr});
    if (queue_.size() == 1) {
        wake_writer_.notify_one();
    }
}

std::size_t WriteQueue::commits() const {
    return commits_.load();
}

std::size_t WriteQueue::pending() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
}

void WriteQueue::loop() {
    std::vector<Pending> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_writer_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // stopping, and nothing is left to write
            }
            // Everything that arrived while the previous batch committed goes in this one.
            while (!queue_.empty() && batch.size() < max_batch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        const auto started = std::chrono::steady_clock::now();
        run_batch(batch);
        auto& metrics = telemetry::process_metrics();
        metrics.write_commit_us.observe(telemetry::micros_since(started),
                                        telemetry::kLatencyBoundsUs);
        metrics.write_batch_size.observe(batch.size(), telemetry::kBatchBounds);
        // Counted before anyone is answered: a reader told of its write must find the list
        // cache's generation (ChangeFeed::change_version) past it.
        ++commits_;
        for (auto& p : batch) {
            try {
                p.done(p.error);
            } catch (const std::exception& e) {
                spdlog::error("a write's completion failed: {}", e.what());
            }
        }
        batch.clear();
        if (after_batch_) {
            after_batch_();
        }
    }
}

void WriteQueue::run_batch(std::vector<Pending>& batch) {
    auto fail_all = [](auto first, auto last, const std::exception_ptr& error) {
        for (auto it = first; it != last; ++it) {
            if (!it->error) {
                it->error = error;
            }
        }
    };
    try {
        run_sql(db_, kBeginSql);
    } catch (...) {
        fail_all(batch.begin(), batch.end(), std::current_exception());
        return;
    }
    // Jobs since the transaction began: if SQLite aborts the whole transaction (a full disk,
    // an I/O error), their work is gone too and they must not report success.
    auto open_since = batch.begin();
    for (auto it = batch.begin(); it != batch.end(); ++it) {
        Pending& p = *it;
        try {
            run_sql(db_, kSavepointSql);
            p.job(db_);
            run_sql(db_, kReleaseSql);
        } catch (...) {
            p.error = std::current_exception();
            if (in_transaction(db_)) {
                try {
                    run_sql(db_, kRollbackToSql);
                    run_sql(db_, kReleaseSql);
                    continue;
                } catch (...) {  // NOLINT(bugprone-empty-catch): the transaction is dropped below
                }
                try {
                    run_sql(db_, kRollbackSql);
                } catch (...) {  // NOLINT(bugprone-empty-catch): nothing more can be done
                }
            }
            fail_all(open_since, it, p.error);
            open_since = std::next(it);
            try {
                run_sql(db_, kBeginSql);
            } catch (...) {
                fail_all(open_since, batch.end(), std::current_exception());
                return;
            }
        }
    }
    try {
        run_sql(db_, kCommitSql);
    } catch (...) {
        const auto error = std::current_exception();
        if (in_transaction(db_)) {
            try {
                run_sql(db_, kRollbackSql);
            } catch (...) {  // NOLINT(bugprone-empty-catch): the commit error is what counts
            }
        }
        fail_all(open_since, batch.end(), error);
    }
}

}  // namespace open311::store
