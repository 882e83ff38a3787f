// The Server: its threads and its graceful stop. Each I/O thread runs an io_context of its own
// (measured faster than threads sharing one: no strands, no shared queue), and a connection
// stays on the context that accepted it. The accepting is in listener.cpp, a connection's life
// in session.cpp.
#include "open311/http/server.hpp"

#include "http/listener.hpp"
#include "http/os_limits.hpp"
#include "http/shared_state.hpp"
#include "http/tls.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <thread>

namespace open311 {

namespace net = boost::asio;

namespace {

/// server.worker_threads, or when unset: 32 on a local database, where a write waits on its
/// worker for the group commit and more workers mean larger batches; database.pool_size on a
/// database server, where every read and write holds one of the pool's connections while it
/// runs, so a worker beyond the pool could only wait for one, and each extra thread costs
/// wake-ups on the cores the database shares (bench/README.md, "PostgreSQL rows").
unsigned worker_count(const Config& c, const Store& s) {
    constexpr unsigned kLocalDatabaseWorkers = 32;
    if (c.worker_threads) {
        return *c.worker_threads;
    }
    return s.reads_block() ? static_cast<unsigned>(std::max<std::size_t>(c.db_pool_size, 1))
                           : kLocalDatabaseWorkers;
}

}  // namespace

struct Server::Impl {
    Impl(const Config& c, Store& s, std::shared_ptr<api::Extension> extension)
        : config(c), contexts(make_contexts(c.io_threads)), workers(worker_count(c, s)) {
        if (!c.tls_certificate.empty()) {
            tls = http::make_tls_context(c);
        }
        http::raise_open_files_limit(c.max_connections);
        listener = std::make_unique<http::Listener>(*contexts.front(), c);
        // With port 0 the system picked one; the API must name the real one (discovery).
        config.listen_port = listener->port();
        if (c.metrics.listen_host) {
            // Plain HTTP on an internal address: monitoring only (api/api.cpp).
            metrics_listener = std::make_unique<http::Listener>(
                *contexts.front(), c, *c.metrics.listen_host, c.metrics.listen_port, true);
            config.metrics.listen_port = metrics_listener->port();
        }
        shared = std::make_unique<http::SharedState>(config, s, workers, std::move(extension));
    }

    static std::vector<std::unique_ptr<net::io_context>> make_contexts(unsigned n) {
        std::vector<std::unique_ptr<net::io_context>> out;
        for (unsigned i = 0; i < std::max(n, 1U); ++i) {
            // One thread per context: Asio can skip its locking.
            out.push_back(std::make_unique<net::io_context>(1));
        }
        return out;
    }

    Config config;  // a copy: listen_port is the bound one
    // Declared before the io_contexts so that it outlives any handler (and its session)
    // an io_context still holds when it is destroyed.
    std::unique_ptr<http::SharedState> shared;
    std::vector<std::unique_ptr<net::io_context>> contexts;
    net::thread_pool workers;
    std::unique_ptr<net::ssl::context> tls;  // set when the server terminates TLS
    std::unique_ptr<http::Listener> listener;
    std::unique_ptr<http::Listener> metrics_listener;  ///< metrics.listen, when set
    std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
    std::vector<std::thread> threads;
    bool started = false;
    bool stopped = false;
    std::mutex stop_mutex;
};

Server::Server(const Config& config, Store& store) : Server(config, store, nullptr) {}

Server::Server(const Config& config, Store& store, std::shared_ptr<api::Extension> extension) {
    try {
        impl_ = std::make_unique<Impl>(config, store, std::move(extension));
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot listen on " + config.listen_host + ":" +
                                 std::to_string(config.listen_port) + ": " + e.code().message());
    }
}

Server::~Server() {
    stop();
}

std::uint16_t Server::port() const {
    return impl_->listener->port();
}

std::uint16_t Server::metrics_port() const {
    return impl_->metrics_listener ? impl_->metrics_listener->port() : 0;
}

void Server::start() {
    if (impl_->started) {
        return;
    }
    impl_->started = true;
    for (auto& context : impl_->contexts) {
        impl_->work.emplace_back(context->get_executor());
    }
    impl_->listener->start(impl_->contexts, *impl_->shared, impl_->tls.get());
    if (impl_->metrics_listener) {
        impl_->metrics_listener->start(impl_->contexts, *impl_->shared, nullptr);
    }
    for (auto& context : impl_->contexts) {
        impl_->threads.emplace_back([&context] { context->run(); });
    }
}

void Server::stop() {
    std::lock_guard stop_lock(impl_->stop_mutex);
    if (impl_->stopped) {
        return;
    }
    impl_->stopped = true;
    auto& s = *impl_;
    s.shared->stopping = true;
    // Close the acceptor on the I/O context (it is not thread-safe) and wait for it, so that
    // the port refuses new connections once stop() has moved on.
    if (!s.threads.empty()) {
        std::promise<void> closed;
        net::post(*s.contexts.front(), [&s, &closed] {
            s.listener->close();
            if (s.metrics_listener) {
                s.metrics_listener->close();
            }
            closed.set_value();
        });
        closed.get_future().wait();
    } else {
        s.listener->close();
        if (s.metrics_listener) {
            s.metrics_listener->close();
        }
    }
    {
        std::unique_lock lock(s.shared->sessions_mutex);
        for (auto* session : s.shared->sessions) {
            session->shut_down();
        }
        // In-flight requests finish; connections close after their reply.
        s.shared->sessions_done.wait_for(lock,
                                         std::chrono::seconds(s.config.shutdown_grace_seconds),
                                         [&s] { return s.shared->sessions.empty(); });
    }
    s.work.clear();
    s.workers.join();
    for (auto& context : s.contexts) {
        context->stop();
    }
    for (auto& t : s.threads) {
        t.join();
    }
    s.threads.clear();
}

void Server::run_until_signal(const std::function<void()>& ready) {
    net::io_context signals_ioc;
    net::signal_set signals(signals_ioc, SIGINT, SIGTERM);
    signals.async_wait([](boost::system::error_code, int signal) {
        spdlog::info("received signal {}, stopping: in-flight requests finish first", signal);
    });
    if (ready) {
        ready();
    }
    signals_ioc.run();
    stop();
}

}  // namespace open311
