#pragma once

#include "store/postgres/pq.hpp"

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace open311::store::pg {

/// At most `size` connections, opened when first needed and kept for reuse. A connection that
/// was lost is dropped when it comes back, and the next borrower gets a new one: a restarted
/// database costs the requests in flight, not the server.
class Pool final {
public:
    /// How long a borrower waits for a connection while all are in use before it gets
    /// StoreErrc::unavailable.
    static constexpr std::chrono::seconds kWait{10};

    Pool(std::string conninfo, std::size_t size);
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;

    /// A connection borrowed from the pool; returned (or dropped, when lost or left inside a
    /// transaction) when the lease ends.
    class Lease final {
    public:
        Lease(Pool& pool, std::unique_ptr<Connection> c) : pool_(pool), c_(std::move(c)) {}
        ~Lease() { pool_.give_back(std::move(c_)); }
        Lease(const Lease&) = delete;
        Lease& operator=(const Lease&) = delete;
        Connection& operator*() { return *c_; }
        Connection* operator->() { return c_.get(); }

    private:
        Pool& pool_;
        std::unique_ptr<Connection> c_;
    };

    Lease acquire();
    /// True when `pid` is the server process of one of this pool's connections.
    bool owns_backend(int pid) const;
    const std::string& conninfo() const { return conninfo_; }
    std::size_t size() const { return size_; }

private:
    void give_back(std::unique_ptr<Connection> c);

    const std::string conninfo_;
    const std::size_t size_;
    mutable std::mutex mutex_;
    std::condition_variable returned_;
    std::vector<std::unique_ptr<Connection>> idle_;
    std::size_t open_ = 0;  ///< idle + borrowed + being opened
    std::set<int> backends_;
};

}  // namespace open311::store::pg
