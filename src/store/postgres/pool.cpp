#include "store/postgres/pool.hpp"

#include <utility>

namespace open311::store::pg {

Pool::Pool(std::string conninfo, std::size_t size)
    : conninfo_(std::move(conninfo)), size_(size == 0 ? 1 : size) {}

Pool::Lease Pool::acquire() {
    std::unique_lock lock(mutex_);
    const bool free =
        returned_.wait_for(lock, kWait, [this] { return !idle_.empty() || open_ < size_; });
    if (!free) {
        throw StoreError(StoreErrc::unavailable,
                         "all " + std::to_string(size_) +
                             " database connections stayed busy (database.pool_size)");
    }
    if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(c));
    }
    ++open_;
    lock.unlock();
    try {
        auto c = std::make_unique<Connection>(conninfo_);
        lock.lock();
        backends_.insert(c->backend_pid());
        return Lease(*this, std::move(c));
    } catch (...) {
        if (!lock.owns_lock()) {
            lock.lock();
        }
        --open_;
        returned_.notify_one();
        throw;
    }
}

void Pool::give_back(std::unique_ptr<Connection> c) {
    if (!c) {
        return;
    }
    std::unique_lock lock(mutex_);
    if (c->healthy() && !c->in_transaction()) {
        idle_.push_back(std::move(c));
    } else {
        backends_.erase(c->backend_pid());
        --open_;
        lock.unlock();
        c.reset();  // closed outside the lock
        lock.lock();
    }
    returned_.notify_one();
}

bool Pool::owns_backend(int pid) const {
    std::lock_guard lock(mutex_);
    return backends_.count(pid) != 0;
}

}  // namespace open311::store::pg
