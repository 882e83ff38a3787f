#include "store/postgres/batch_writer.hpp"

#include <utility>

namespace open311::store::pg {

BatchWriter::BatchWriter(Pool& pool, RunAlone run_alone, AfterCommit after_commit)
    : pool_(pool), run_alone_(std::move(run_alone)), after_commit_(std::move(after_commit)) {
    thread_ = std::thread([this] { loop(); });
}

BatchWriter::~BatchWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void BatchWriter::submit(Job job, Done done) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back({std::move(job), std::move(done), nullptr});
            wake_.notify_one();
            return;
        }
    }
    done(std::make_exception_ptr(
        StoreError(StoreErrc::unavailable, "the database writer is shutting down")));
}

std::size_t BatchWriter::commits() const {
    std::lock_guard lock(mutex_);
    return commits_;
}

void BatchWriter::loop() {
    std::vector<Pending> batch;
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty()) {
                return;  // stopping, and nothing left to write
            }
            while (!queue_.empty() && batch.size() < kMaxBatch) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        run_batch(batch);
        for (auto& p : batch) {
            p.done(p.error);
        }
        batch.clear();
    }
}

void BatchWriter::run_batch(std::vector<Pending>& batch) {
    enum class Phase { begin, jobs, commit, committed };
    for (int attempt = 1;; ++attempt) {
        Phase phase = Phase::begin;
        try {
            auto c = pool_.acquire();
            {
                Transaction tx(*c);
                phase = Phase::jobs;
                for (auto& p : batch) {
                    p.job(*c);
                }
                phase = Phase::commit;
                tx.commit();
            }
            phase = Phase::committed;
            {
                std::lock_guard lock(mutex_);
                ++commits_;
            }
            after_commit_(*c);
            return;
        } catch (...) {
            if (phase == Phase::committed) {
                return;  // what failed came after the COMMIT: the writes are stored
            }
            if (phase == Phase::begin && attempt == 1) {
                continue;  // a pooled connection lost while idle: once more, on a new one
            }
            if (phase != Phase::jobs) {
                // A COMMIT's outcome is unknown: running the jobs again could store them
                // twice. No connection, or no BEGIN, twice: the database is unreachable, and
                // running each job alone would make each wait for it again.
                for (auto& p : batch) {
                    p.error = std::current_exception();
                }
                return;
            }
        }
        break;
    }
    // A job failed, and PostgreSQL rolled the whole batch back: each job runs again on its own
    // and learns its own outcome.
    for (auto& p : batch) {
        try {
            run_alone_(p.job);
        } catch (...) {
            p.error = std::current_exception();
        }
    }
}

}  // namespace open311::store::pg
