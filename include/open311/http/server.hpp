#pragma once

#include "open311/config.hpp"
#include "open311/store/store.hpp"

#include <cstdint>
#include <functional>
#include <memory>

namespace open311 {

namespace api {
class Extension;
}  // namespace api

/// The HTTP server. Which thread runs what:
/// - server.io_threads I/O threads, each running an io_context of its own. A connection stays
///   on the thread whose context accepted it (the first context accepts, then hands them out in
///   turn). That thread reads and writes its socket, answers the transport's own errors (413,
///   400, 429), and runs the whole API for GET, HEAD and OPTIONS: routing, the handler, its
///   SQLite reads (on that thread's own connection) and the serialisation. A slow read holds
///   up the other connections of its thread meanwhile.
/// - server.worker_threads worker threads run the API for every other method (POST, PUT,
///   PATCH, DELETE, unknown ones), whose writes wait for the store's group commit, and write
///   each chunk of a multipart upload to its spool files. The answer is posted back to the
///   connection's I/O thread, so no I/O thread waits for a write.
/// - start(), stop() and run_until_signal() run on the caller's thread; stop() must not be
///   called from an I/O or worker thread, as it joins them.
class Server final {
public:
    /// Binds the listening socket at once (port 0 picks a free one), so port() is known and
    /// connections queue before start() is called. Throws std::runtime_error when it cannot.
    Server(const Config& config, Store& store);
    /// The same, with an extension that sees every request first and every answer last
    /// (`open311d sandbox`; see src/api/extension.hpp).
    Server(const Config& config, Store& store, std::shared_ptr<api::Extension> extension);
    ~Server();
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    /// Starts the I/O threads and begins accepting (the worker pool runs from construction).
    void start();
    /// The bound port.
    std::uint16_t port() const;
    /// The bound port of metrics.listen; 0 when it is not set.
    std::uint16_t metrics_port() const;
    /// Graceful stop: closes the acceptor, lets in-flight requests finish (up to the configured
    /// grace period), closes idle connections, joins every thread. Safe to call twice.
    void stop();
    /// Blocks until SIGINT or SIGTERM arrives, then stops gracefully. `ready` runs once the
    /// signals are caught, so whoever it tells that the server is up can stop it with SIGTERM
    /// at once and still get a graceful stop.
    void run_until_signal(const std::function<void()>& ready = {});

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace open311
