#pragma once

#include "open311/domain/abuse.hpp"
#include "open311/store/store.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace open311::api {

/// Per-key usage counted in memory and added to the store by a background thread every few
/// seconds (and on destruction), so that counting costs no database write per request. A
/// crash loses at most the counts of one flush interval.
class UsageCounter final {
public:
    enum class Event { created, rejected, rate_limited };

    UsageCounter(Store& store, unsigned flush_seconds);
    ~UsageCounter();
    UsageCounter(const UsageCounter&) = delete;
    UsageCounter& operator=(const UsageCounter&) = delete;

    void count(const std::string& key_name, Event event);
    /// Writes what has been counted so far (readers call it first for exact figures).
    void flush();

private:
    void run();

    Store& store_;
    const unsigned flush_seconds_;
    std::mutex mutex_;  ///< guards pending_ and stopping_
    std::map<std::pair<std::string, std::string>, KeyUsage> pending_;  ///< by (key, day)
    std::mutex flush_mutex_;                                           ///< one flush at a time
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace open311::api
