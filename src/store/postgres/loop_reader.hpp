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
/// asynchronous API in pipeline mode while the loop watches their sockets. A read then costs
/// the loop no wait and no hand-off to a worker and back, and queries that arrive together
/// travel together: PostgreSQL reads a run of them in one go and answers them in one go, so
/// neither side wakes up once per query (on a small host each wake-up costs more than the
/// query; bench/README.md, "PostgreSQL rows"). Used only on the thread that runs the loop.
///
/// Each query is followed by its own sync point, so that one failing affects no other.
/// Connections are opened without blocking, when first needed, and again (at most once a
/// second each) after one is lost; meanwhile ready() is false and the caller reads the usual
/// way, on a worker. An idle connection's socket is watched too, so that one the server closed
/// (a restart) is noticed before a query is sent on it. (libpq resolves a host name while it
/// starts connecting, on the loop's thread: give `host` an address or a socket directory, or a
/// `hostaddr`, where name lookups can be slow.)
class LoopReader final {
public:
    /// The statement's result (null when it failed), or what failed.
    using Done = std::function<void(const Result* result, std::exception_ptr error)>;
    /// Connections per loop: two server processes share a loop's queries.
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
    /// A query (or, with no `done`, a statement being prepared) sent and not yet answered.
    struct InFlight {
        Done done;
        std::optional<Result> result;
        std::exception_ptr error;
        bool results_in = false;  ///< its results are in: its sync point comes next
    };
    struct Slot {
        enum class State { down, connecting, ready } state = State::down;
        std::unique_ptr<PGconn, decltype(&PQfinish)> conn{nullptr, &PQfinish};
        /// Watches PQsocket(conn); released before the connection closes, never closing it.
        std::optional<boost::asio::posix::stream_descriptor> socket;
        std::deque<InFlight> in_flight;  ///< in the pipeline's order
        bool reading = false;            ///< a wait for its answers is pending
        bool writing = false;            ///< a wait to send the rest of its queries is pending
        std::uint64_t generation = 0;    ///< counts connections: stale waits do nothing
        std::chrono::steady_clock::time_point retry_after{};
        std::chrono::steady_clock::time_point connect_deadline{};
    };

    void connect(Slot& s);
    void poll_connect(Slot& s, PostgresPollingStatusType status);
    void start_pipeline(Slot& s);
    void send(Slot& s, Waiting w);
    void flush(Slot& s);
    void read_when_ready(Slot& s);
    void on_readable(Slot& s);
    void answer_head(Slot& s);
    /// Closes the slot's connection; the queries it was running get `why`.
    void down(Slot& s, std::exception_ptr why);
    bool watch_socket(Slot& s);
    /// A wait's handler: false when it must do nothing (cancelled, or its connection is gone);
    /// a wait that failed otherwise takes the connection down.
    bool wait_ok(Slot& s, std::uint64_t generation, boost::system::error_code ec);
    /// Runs `then` once the slot's socket is ready for `what`, unless wait_ok says otherwise.
    void when(Slot& s,
              boost::asio::posix::stream_descriptor::wait_type what,
              std::function<void()> then);
    /// The ready slot with the fewest queries in flight, or null.
    Slot* least_busy();

    boost::asio::io_context& loop_;
    const std::string conninfo_;
    const std::vector<LoopStatement> statements_;
    std::array<Slot, kConnections> slots_;
    std::deque<Waiting> waiting_;  ///< queries waiting for a connection to come up
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
