#pragma once

#include "store/postgres/pq.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace open311::store::pg {

/// A statement a LoopReader prepares on each of its connections.
struct LoopStatement {
    std::string name;
    std::string sql;
};

/// Reads for one I/O thread's event loop: a few connections of its own, driven with libpq's
/// asynchronous API while the loop watches their sockets. A read then costs the loop no wait
/// and no hand-off to a worker and back: on a small host each such wake-up costs more than
/// the query (bench/README.md, "PostgreSQL rows"). Used only on the thread that runs the loop.
///
/// Connections are opened without blocking, when first needed, and again (at most once a
/// second each) after one is lost; meanwhile ready() is false and the caller reads the usual
/// way, on a worker.
class LoopReader final {
public:
    /// The statement's result (null when it failed), or what failed.
    using Done = std::function<void(const Result* result, std::exception_ptr error)>;
    /// Connections per loop: one can be busy while the other's answer is read.
    static constexpr std::size_t kConnections = 2;

    LoopReader(boost::asio::io_context& loop,
               std::string conninfo,
               std::vector<LoopStatement> statements);
    ~LoopReader();
    LoopReader(const LoopReader&) = delete;
    LoopReader& operator=(const LoopReader&) = delete;

    /// True when a connection is ready for queries; starts (re)connecting the ones that are not.
    bool ready();
    /// Runs the prepared statement `name`; `done` is called once, later, on the loop's thread.
    void query(const std::string& name, Params params, Done done);

private:
    struct Waiting {
        std::string name;
        Params params;
        Done done;
    };
    struct Slot {
        enum class State { down, connecting, preparing, idle, busy } state = State::down;
        std::unique_ptr<PGconn, decltype(&PQfinish)> conn{nullptr, &PQfinish};
        /// Watches PQsocket(conn); released before the connection closes, never closing it.
        std::optional<boost::asio::posix::stream_descriptor> socket;
        std::size_t prepared = 0;  ///< statements prepared on this connection so far
        std::optional<Result> result;
        std::exception_ptr error;
        Done done;
        std::chrono::steady_clock::time_point retry_after{};
    };

    void connect(Slot& s);
    void poll_connect(Slot& s, PostgresPollingStatusType status);
    void prepare_next(Slot& s);
    void send(Slot& s, Waiting w);
    void flush_then_read(Slot& s);
    void await(Slot& s, boost::asio::posix::stream_descriptor::wait_type what,
               void (LoopReader::*then)(Slot&));
    void on_readable(Slot& s);
    void finished(Slot& s);
    void take_next(Slot& s);
    /// Closes the slot's connection; a query it was running gets `why`.
    void down(Slot& s, std::exception_ptr why);
    void watch_socket(Slot& s);

    boost::asio::io_context& loop_;
    const std::string conninfo_;
    const std::vector<LoopStatement> statements_;
    std::array<Slot, kConnections> slots_;
    std::deque<Waiting> waiting_;
    /// Cleared by the destructor: a handler still queued on the loop then does nothing.
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

/// The LoopReaders of one event loop, one per store (by the store's id), destroyed with the
/// loop: their sockets must be released while the loop is still there.
class LoopReaders final : public boost::asio::execution_context::service {
public:
    static boost::asio::execution_context::id id;
    explicit LoopReaders(boost::asio::execution_context& context)
        : boost::asio::execution_context::service(context) {}

    /// The reader of store `store_id` on `loop` (made by `make` the first time).
    static LoopReader& of(boost::asio::io_context& loop,
                          std::uint64_t store_id,
                          const std::function<std::unique_ptr<LoopReader>()>& make);

private:
    void shutdown() override { readers_.clear(); }
    std::map<std::uint64_t, std::unique_ptr<LoopReader>> readers_;  // used on the loop only
};

}  // namespace open311::store::pg
