#include "store/sqlite/checkpointer.hpp"

#include <spdlog/spdlog.h>

namespace open311::store {

Checkpointer::Checkpointer(const std::string& path,
                           const Database::Options& options,
                           Database& writer)
    : db_(path, options), writer_(writer), thread_([this] { loop(); }) {
    // Replaces the automatic checkpoint of the writer connection (the two share one hook).
    sqlite3_wal_hook(writer_.handle(), &Checkpointer::on_commit, this);
    // When the WAL starts over, its file is cut back to this size at the next commit.
    writer_.exec("PRAGMA journal_size_limit=" + std::to_string(kLimitBytes));
}

Checkpointer::~Checkpointer() {
    sqlite3_wal_hook(writer_.handle(), nullptr, nullptr);
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

int Checkpointer::on_commit(void* self, sqlite3*, const char*, int pages) {
    auto* checkpointer = static_cast<Checkpointer*>(self);
    checkpointer->wal_pages_.store(pages, std::memory_order_relaxed);
    if (pages >= kThresholdPages) {
        {
            std::lock_guard lock(checkpointer->mutex_);
            checkpointer->wanted_ = true;
        }
        checkpointer->wake_.notify_one();
    }
    return SQLITE_OK;
}

void Checkpointer::after_batch() {
    if (wal_pages_.load(std::memory_order_relaxed) >= kForcePages) {
        std::unique_lock pass(pass_mutex_);  // waits for a running background pass
        finish_on_writer();
    } else if (finish_wanted_.load(std::memory_order_relaxed)) {
        std::unique_lock pass(pass_mutex_, std::try_to_lock);
        if (pass.owns_lock()) {
            finish_on_writer();
        }
    }
}

void Checkpointer::finish_on_writer() {
    int log_pages = 0;
    int copied = 0;
    // PASSIVE still: no wait for readers. No write runs now (this is the writer thread), so
    // it copies every frame that no reader's older snapshot still needs: usually all.
    const int rc = sqlite3_wal_checkpoint_v2(
        writer_.handle(), "main", SQLITE_CHECKPOINT_PASSIVE, &log_pages, &copied);
    if (rc == SQLITE_OK && copied >= log_pages) {
        finish_wanted_ = false;
        // The WAL starts over at the next write; until that commit reports its size, do not
        // copy again.
        wal_pages_.store(0, std::memory_order_relaxed);
    } else if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
        spdlog::warn("WAL checkpoint failed: {}", sqlite3_errmsg(writer_.handle()));
    }
}

void Checkpointer::loop() {
    for (;;) {
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || wanted_; });
            if (stopping_) {
                return;
            }
            wanted_ = false;
        }
        std::lock_guard pass(pass_mutex_);
        int log_pages = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(
            db_.handle(), "main", SQLITE_CHECKPOINT_PASSIVE, &log_pages, &copied);
        if (rc == SQLITE_OK) {
            // Frames committed while this pass ran are not in `log_pages`: the writer copies
            // whatever is left (nothing, at no cost, when the writer was idle).
            finish_wanted_ = true;
        } else if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
            spdlog::warn("WAL checkpoint failed: {}", sqlite3_errmsg(db_.handle()));
        }
    }
}

}  // namespace open311::store
