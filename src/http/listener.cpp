// The accept loop: connections spread over the I/O contexts, and the connection limit.
#include "http/listener.hpp"

#include "http/session.hpp"
#include "http/shared_state.hpp"

#include <boost/asio/buffer.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>

namespace open311::http {
namespace {

/// A connection over server.max_connections on plain HTTP: it gets a 503 with Retry-After and
/// is closed once the client has finished sending (closing with its request unread would reset
/// the connection and could destroy the answer before it is read).
class Refusal final : public std::enable_shared_from_this<Refusal> {
public:
    Refusal(tcp::socket&& socket, std::shared_ptr<const std::string> answer)
        : socket_(std::move(socket)), timer_(socket_.get_executor()), answer_(std::move(answer)) {}

    void run() {
        boost::system::error_code ec;
        socket_.non_blocking(true, ec);
        socket_.write_some(net::buffer(*answer_), ec);  // a few hundred bytes: one segment
        socket_.shutdown(tcp::socket::shutdown_send, ec);
        timer_.expires_after(std::chrono::seconds(1));
        timer_.async_wait([self = shared_from_this()](boost::system::error_code) {
            boost::system::error_code ignored;
            self->socket_.close(ignored);
        });
        drain();
    }

private:
    void drain() {
        socket_.async_read_some(
            net::buffer(sink_),
            [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                if (ec) {
                    self->timer_.cancel();
                    boost::system::error_code ignored;
                    self->socket_.close(ignored);
                    return;
                }
                self->drain();
            });
    }

    tcp::socket socket_;
    net::steady_timer timer_;
    std::shared_ptr<const std::string> answer_;
    std::array<char, 1024> sink_{};
};

/// The bytes of the 503 sent to connections over the limit: it is written without a session,
/// so the whole message is built here.
std::shared_ptr<const std::string> make_refusal(const api::Api& api) {
    auto r = api.transport_error(
        {ErrorCode::service_unavailable, "too many connections; retry shortly"});
    std::string out = "HTTP/1.1 503 Service Unavailable\r\nServer: open311d\r\n";
    out += "Content-Type: " + r.content_type + "\r\n";
    for (const auto& [name, value] : r.headers) {
        out += name + ": " + value + "\r\n";
    }
    out +=
        "Retry-After: 1\r\nConnection: close\r\nContent-Length: " + std::to_string(r.body.size()) +
        "\r\n\r\n" + r.body;
    return std::make_shared<const std::string>(std::move(out));
}

}  // namespace

Listener::Listener(net::io_context& context, const Config& config)
    : Listener(context, config, config.listen_host, config.listen_port, false) {}

Listener::Listener(net::io_context& context,
                   const Config& config,
                   const std::string& host,
                   std::uint16_t port,
                   bool operations)
    : config_(config), acceptor_(context), retry_(context), operations_(operations) {
    auto address = net::ip::make_address(host == "localhost" ? "127.0.0.1" : host);
    tcp::endpoint endpoint(address, port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

std::uint16_t Listener::port() const {
    return acceptor_.local_endpoint().port();
}

void Listener::start(const std::vector<std::unique_ptr<net::io_context>>& contexts,
                     SharedState& shared,
                     ssl::context* tls) {
    contexts_ = &contexts;
    shared_ = &shared;
    tls_ = tls;
    refusal_ = make_refusal(shared.api);
    do_accept();
}

void Listener::close() {
    boost::system::error_code ec;
    acceptor_.close(ec);
    retry_.cancel();
}

void Listener::do_accept() {
    auto& context = *(*contexts_)[next_context_++ % contexts_->size()];
    acceptor_.async_accept(context, [this](boost::system::error_code ec, tcp::socket socket) {
        on_accept(ec, std::move(socket));
    });
}

void Listener::on_accept(boost::system::error_code ec, tcp::socket socket) {
    if (ec) {
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) {
            return;
        }
        // Out of file descriptors or memory: pause instead of spinning on the error.
        spdlog::warn("accept failed: {}", ec.message());
        retry_.expires_after(std::chrono::milliseconds(100));
        retry_.async_wait([this](boost::system::error_code wait_ec) {
            if (!wait_ec) {
                do_accept();
            }
        });
        return;
    }
    if (shared_->connections.load() >= config_.max_connections) {
        shared_->metrics.connections_refused.add();
        if (tls_ != nullptr) {
            boost::system::error_code ignored;
            socket.close(ignored);  // a 503 would need a handshake first
        } else {
            std::make_shared<Refusal>(std::move(socket), refusal_)->run();
        }
    } else {
        run_session(*shared_, std::move(socket), tls_, operations_);
    }
    do_accept();
}

}  // namespace open311::http
