#pragma once

#include <cstdint>
#include <functional>
#include <optional>

namespace open311 {

/// What a subscriber can be told about.
enum class Topic {
    outbox,  ///< a commit added messages to the outbox
};

/// Ends a subscription when destroyed or reset; move-only.
class Subscription final {
public:
    Subscription() = default;
    explicit Subscription(std::function<void()> cancel) : cancel_(std::move(cancel)) {}
    ~Subscription() { reset(); }
    Subscription(Subscription&& other) noexcept : cancel_(std::move(other.cancel_)) {
        other.cancel_ = nullptr;
    }
    Subscription& operator=(Subscription&& other) noexcept {
        if (this != &other) {
            reset();
            cancel_ = std::move(other.cancel_);
            other.cancel_ = nullptr;
        }
        return *this;
    }
    Subscription(const Subscription&) = delete;
    Subscription& operator=(const Subscription&) = delete;

    /// Unsubscribes; once it returns, the callback is not running and will not run again.
    void reset() {
        if (cancel_) {
            auto cancel = std::move(cancel_);
            cancel_ = nullptr;
            cancel();
        }
    }

private:
    std::function<void()> cancel_;
};

/// "Something changed": how caches and background workers learn of writes without polling
/// the data itself.
class ChangeFeed {
public:
    virtual ~ChangeFeed() = default;

    /// A number that moves with every change this store can see: an answer rendered while it
    /// had one value is current while it keeps it. nullopt means the backend cannot tell
    /// (caches must then not serve from it). A backend shared by several servers must move it
    /// when another of them commits, or answer nullopt. SQLite counts the commits of this
    /// process; another process on the same file (the CLI) does not move it, which callers
    /// bound by a short lifetime (see api/core/list_cache.hpp).
    virtual std::optional<std::uint64_t> change_version() = 0;

    /// Calls `callback` after every commit that concerns `topic`, on the committing thread
    /// (keep it short; it must not subscribe or unsubscribe). A backend shared by several
    /// processes may also call it for their commits; a subscriber must still poll, since a
    /// call is a hint that can be missed, never the only trigger.
    [[nodiscard]] virtual Subscription subscribe(Topic topic, std::function<void()> callback) = 0;
};

}  // namespace open311
