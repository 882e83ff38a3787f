#pragma once

#include "store/sqlite/database.hpp"

#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

namespace open311::store {

/// Moves the WAL's pages into the database file on a thread of its own. SQLite's automatic
/// checkpoint runs inside the commit that crosses the threshold, which put a 41 ms stall on
/// that client's write (measured); here the writer only signals, and the checkpoint (PASSIVE:
/// it never blocks the writer or the readers) runs beside it.
class Checkpointer final {
public:
    /// Opens a connection of its own to `path` and hooks the writer connection `writer`.
    Checkpointer(const std::string& path, const Database::Options& options, Database& writer);
    ~Checkpointer();
    Checkpointer(const Checkpointer&) = delete;
    Checkpointer& operator=(const Checkpointer&) = delete;

    /// WAL pages that trigger a checkpoint (SQLite's default for its automatic one).
    static constexpr int kThresholdPages = 1000;

private:
    static int on_commit(void* self, sqlite3* db, const char* schema, int pages);
    void loop();

    Database db_;
    Database& writer_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool wanted_ = false;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace open311::store
