#include "store/sqlite/checkpointer.hpp"

#include <spdlog/spdlog.h>

namespace open311::store {

Checkpointer::Checkpointer(const std::string& path,
                           const Database::Options& options,
                           Database& writer)
    : db_(path, options), writer_(writer), thread_([this] { loop(); }) {
    // Replaces the automatic checkpoint of the writer connection (the two share one hook).
    sqlite3_wal_hook(writer_.handle(), &Checkpointer::on_commit, this);
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
    if (pages >= kThresholdPages) {
        auto* checkpointer = static_cast<Checkpointer*>(self);
        {
            std::lock_guard lock(checkpointer->mutex_);
            checkpointer->wanted_ = true;
        }
        checkpointer->wake_.notify_one();
    }
    return SQLITE_OK;
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
        int log_pages = 0;
        int copied = 0;
        const int rc = sqlite3_wal_checkpoint_v2(
            db_.handle(), "main", SQLITE_CHECKPOINT_PASSIVE, &log_pages, &copied);
        if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
            spdlog::warn("WAL checkpoint failed: {}", sqlite3_errmsg(db_.handle()));
        }
    }
}

}  // namespace open311::store
