#pragma once

#include "http/net.hpp"

#include "open311/config.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace open311::http {

struct SharedState;

/// Accepts connections and hands each to a session on one of the I/O contexts in turn. Over
/// server.max_connections a connection is refused instead: plain HTTP gets a 503, TLS is closed.
class Listener final {
public:
    /// Opens, binds and listens at once (port 0 picks a free one), so the port is known and
    /// connections queue in the backlog before start(). Throws boost::system::system_error.
    Listener(net::io_context& context, const Config& config);
    /// A listener on `host`:`port` instead of server.listen; `operations`: the one of
    /// metrics.listen, whose connections reach /metrics and the probes only.
    Listener(net::io_context& context,
             const Config& config,
             const std::string& host,
             std::uint16_t port,
             bool operations);

    /// The bound port.
    std::uint16_t port() const;
    /// Begins accepting. `contexts`, `shared` and `tls` (null: plain HTTP) must outlive the
    /// listener's work.
    void start(const std::vector<std::unique_ptr<net::io_context>>& contexts,
               SharedState& shared,
               ssl::context* tls);
    /// Stops accepting; the port refuses connections from then on. Call it on the listener's
    /// context once start() has run threads on it (the acceptor is not thread-safe).
    void close();

private:
    void do_accept();
    void on_accept(boost::system::error_code ec, tcp::socket socket);

    const Config& config_;
    tcp::acceptor acceptor_;
    net::steady_timer retry_;
    const std::vector<std::unique_ptr<net::io_context>>* contexts_ = nullptr;
    std::size_t next_context_ = 0;  // used on the acceptor's context only
    SharedState* shared_ = nullptr;
    ssl::context* tls_ = nullptr;
    std::shared_ptr<const std::string> refusal_;  // the bytes of the 503, built once
    bool operations_ = false;
};

}  // namespace open311::http
