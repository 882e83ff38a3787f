#pragma once

#include "store/sqlite/database.hpp"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace open311::store {

/// Moves the WAL's pages into the database file on a thread of its own, and keeps the WAL file
/// small under a sustained write load.
///
/// SQLite's automatic checkpoint runs inside the commit that crosses the threshold, which put a
/// 41 ms stall on that client's write (measured); here the writer only signals, and the
/// checkpoint (PASSIVE: it never blocks the writer or the readers) runs beside it. But a
/// background checkpoint alone never lets the WAL start over while writes keep coming: SQLite
/// rewinds the WAL only when a write begins with every frame already copied, and frames keep
/// arriving while the copy runs (a 30 s POST flood left a 428 MB WAL beside a 34 MB database).
/// So the writer thread itself copies what is left, between two batches (`after_batch`), which
/// is only the frames committed during the background pass; its next write then rewinds the
/// WAL, and `journal_size_limit` truncates the file back to `kLimitBytes`.
class Checkpointer final {
public:
    /// Opens a connection of its own to `path` and hooks the writer connection `writer`.
    Checkpointer(const std::string& path, const Database::Options& options, Database& writer);
    ~Checkpointer();
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    /// WAL pages that trigger a background checkpoint (SQLite's default for its automatic one).
    static constexpr int kThresholdPages = 1000;
    /// WAL pages at which the writer waits for a running background pass and copies the rest
    /// itself, whatever the background thread managed: the bound on the WAL when that thread
    /// gets no CPU.
    static constexpr int kForcePages = 4096;
    /// The WAL file is truncated back to this size when it starts over (journal_size_limit).
    static constexpr long long kLimitBytes = 16LL * 1024 * 1024;

    /// Called by the writer thread between batches, outside any transaction, with the writer
    /// connection: copies the WAL's remaining frames when a background pass left some or the
    /// WAL is past kForcePages, so that the next write can start the WAL over.
    void after_batch();

private:
    static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
    void loop();
    void finish_on_writer();

    Database db_;
    Database& writer_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    /// Held by the background thread during a pass: one checkpoint at a time.
    std::mutex pass_mutex_;
    /// WAL size in pages after the last commit (from the WAL hook, on the writer thread).
    std::atomic<int> wal_pages_{0};
    /// A background pass ended; frames may have come in meanwhile.
    std::atomic<bool> finish_wanted_{false};
    std::thread thread_;
};

}  // namespace open311::store
