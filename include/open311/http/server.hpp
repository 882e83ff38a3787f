#pragma once

#include "open311/config.hpp"
#include "open311/store/store.hpp"

#include <cstdint>
#include <memory>

namespace open311 {

/// The HTTP server: an acceptor, I/O threads for the sockets, and a worker pool for the
/// API handlers and the database, so no I/O thread ever waits on SQLite.
class Server final {
public:
    /// Binds the listening socket at once (port 0 picks a free one), so port() is known and
    /// connections queue before start() is called. Throws std::runtime_error when it cannot.
    Server(const Config& config, Store& store);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Starts the I/O threads and the worker pool and begins accepting.
    void start();
    /// The bound port.
    std::uint16_t port() const;
    /// Graceful stop: closes the acceptor, lets in-flight requests finish (up to the configured
    /// grace period), closes idle connections, joins every thread. Safe to call twice.
    void stop();
    /// Blocks until SIGINT or SIGTERM arrives, then stops gracefully.
    void run_until_signal();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace open311
