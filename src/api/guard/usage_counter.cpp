#include "api/guard/usage_counter.hpp"

#include "format/datetime.hpp"

#include <spdlog/spdlog.h>

namespace open311::api {

UsageCounter::UsageCounter(Store& store, unsigned flush_seconds)
    : store_(store), flush_seconds_(flush_seconds), thread_([this] { run(); }) {}

UsageCounter::~UsageCounter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    flush();
}

void UsageCounter::count(const std::string& key_name, Event event) {
    const auto day = format::to_date(now());
    std::lock_guard lock(mutex_);
    auto& usage = pending_[{key_name, day}];
    usage.day = day;
    switch (event) {
        case Event::created:
            ++usage.created;
            break;
        case Event::rejected:
            ++usage.rejected;
            break;
        case Event::rate_limited:
            ++usage.rate_limited;
            break;
    }
}

void UsageCounter::flush() {
    std::lock_guard flushing(flush_mutex_);
    std::vector<std::pair<std::string, KeyUsage>> deltas;
    {
        std::lock_guard lock(mutex_);
        deltas.reserve(pending_.size());
        for (auto& [key, usage] : pending_) {
            deltas.emplace_back(key.first, std::move(usage));
        }
        pending_.clear();
    }
    try {
        store_.add_key_usage(deltas);
    } catch (const std::exception& e) {
        // Statistics are not worth failing requests for; the counts are lost, not the data.
        spdlog::warn("could not write key usage counters: {}", e.what());
    }
}

void UsageCounter::run() {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
        wake_.wait_for(lock, std::chrono::seconds(flush_seconds_), [this] { return stopping_; });
        if (stopping_) {
            break;
        }
        lock.unlock();
        flush();
        lock.lock();
    }
}

}  // namespace open311::api
