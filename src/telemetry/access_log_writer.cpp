#include "telemetry/access_log_writer.hpp"

#include <spdlog/details/console_globals.h>

#include <chrono>
#include <cstdio>

namespace open311::telemetry {
namespace {

constexpr std::size_t kWakeAt = 64 * 1024;
constexpr std::size_t kMaxWaiting = 4 * 1024 * 1024;
constexpr auto kInterval = std::chrono::milliseconds(100);

void write_to_stderr(const std::string& batch) {
    // The console sinks' own mutex: no other log line lands inside the batch.
    std::lock_guard console(spdlog::details::console_mutex::mutex());
    std::fwrite(batch.data(), 1, batch.size(), stderr);
    std::fflush(stderr);
}

}  // namespace

AccessLogWriter::AccessLogWriter(std::unique_ptr<spdlog::formatter> formatter)
    : formatter_(std::move(formatter)), thread_([this] { run(); }) {}

AccessLogWriter::~AccessLogWriter() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_one();
    thread_.join();
}

void AccessLogWriter::write(const spdlog::details::log_msg& msg) {
    bool wake = false;
    {
        std::lock_guard lock(mutex_);
        if (waiting_.size() >= kMaxWaiting) {
            return;
        }
        scratch_.clear();
        formatter_->format(msg, scratch_);
        waiting_.append(scratch_.data(), scratch_.size());
        // Only the line that crosses the mark wakes the thread; the others wait for its tick.
        wake = waiting_.size() >= kWakeAt && waiting_.size() - scratch_.size() < kWakeAt;
    }
    if (wake) {
        wake_.notify_one();
    }
}

void AccessLogWriter::run() {
    std::string batch;
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait_for(lock, kInterval, [this] { return stopping_ || waiting_.size() >= kWakeAt; });
        batch.swap(waiting_);
        const bool last = stopping_;
        lock.unlock();
        if (!batch.empty()) {
            write_to_stderr(batch);
            batch.clear();
        }
        if (last) {
            return;
        }
        lock.lock();
    }
}

}  // namespace open311::telemetry
