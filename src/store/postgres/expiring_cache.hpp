#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace open311::store::pg {

/// Rows read on every request that change rarely (API keys and their limits), kept for a short
/// lifetime so that a request does not pay a database round trip for them. Every entry is
/// dropped at once when a commit concerns them (`clear`: this server's own write, or another
/// server's heard through the change listener); the lifetime bounds how stale an entry can be
/// when such a notification is lost. A load that raced with a clear does not store what it
/// read, which may predate the change.
template <typename Value>
class ExpiringCache final {
public:
    using Clock = std::chrono::steady_clock;

    explicit ExpiringCache(Clock::duration lifetime, std::size_t max_entries = 4096)
        : lifetime_(lifetime), max_entries_(max_entries) {}

    /// The value cached under `key`, else what `load()` returns (cached unless nullopt).
    template <typename Load>
    std::optional<Value> get(const std::string& key, Load load) {
        const auto now = Clock::now();
        std::uint64_t generation = 0;
        {
            std::lock_guard lock(mutex_);
            const auto it = entries_.find(key);
            if (it != entries_.end() && it->second.until > now) {
                return it->second.value;
            }
            generation = generation_;
        }
        std::optional<Value> value = load();
        if (value) {
            std::lock_guard lock(mutex_);
            if (generation == generation_) {
                if (entries_.size() >= max_entries_) {
                    entries_.clear();  // unknown secrets must not grow it without bound
                }
                entries_.insert_or_assign(key, Entry{*value, now + lifetime_});
            }
        }
        return value;
    }

    void clear() {
        std::lock_guard lock(mutex_);
        ++generation_;
        entries_.clear();
    }

private:
    struct Entry {
        Value value;
        Clock::time_point until;
    };

    const Clock::duration lifetime_;
    const std::size_t max_entries_;
    std::mutex mutex_;
    std::unordered_map<std::string, Entry> entries_;
    std::uint64_t generation_ = 0;
};

}  // namespace open311::store::pg
