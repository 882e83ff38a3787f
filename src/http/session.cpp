// A connection's life: read a request, hand it to the API, write the answer, again while the
// client keeps the connection alive. A template over its stream (plain TCP, or TLS over TCP),
// compiled here for both. Reads (GET, HEAD, OPTIONS) are answered on the connection's I/O
// thread: short, indexed SQLite reads, cheaper than a hand-off to another thread and back
// (bench/README.md). A store whose reads wait on the network (PostgreSQL) keeps only the
// answers it has in memory there (Api::answer_from_memory), and the reads it can make on the
// I/O thread's event loop without waiting there (Api::answer_on_loop: a request by id); its
// other reads go to the worker pool, so that no I/O thread waits on the database. Every other
// method runs on the worker pool,
// and its answer is posted back to the connection's I/O context; a POST of a new request does
// not hold its worker while it waits for the group commit (Api::handle with a Reply).
#include "http/session.hpp"

#include "http/file_window.hpp"
#include "http/message.hpp"
#include "http/shared_state.hpp"
#include "http/upload_stream.hpp"
#include "telemetry/logging.hpp"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <utility>

namespace open311::http {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <typename Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
    using std::enable_shared_from_this<Session<Stream>>::shared_from_this;
    using std::enable_shared_from_this<Session<Stream>>::weak_from_this;

public:
    template <typename... StreamArgs>
    explicit Session(SharedState& shared, bool operations, StreamArgs&&... stream_args)
        : stream_(std::forward<StreamArgs>(stream_args)...),
          shared_(shared),
          operations_(operations) {
        beast::error_code ec;
        auto endpoint = tcp_().socket().remote_endpoint(ec);
        if (!ec) {
            client_ = endpoint.address().to_string();
        }
        ++shared_.connections;
        shared_.metrics.connections_open.add();
    }

    ~Session() override {
        release_body();
        leave_flight();
        --shared_.connections;
        shared_.metrics.connections_open.sub();
        std::lock_guard lock(shared_.sessions_mutex);
        shared_.sessions.erase(this);
        shared_.sessions_done.notify_all();
    }

    /// Registers the session for stop() and starts it. Not in the constructor: stop() calls
    /// weak_from_this(), which make_shared sets only after the constructor has returned
    /// (ThreadSanitizer caught the race).
    void run() {
        {
            std::lock_guard lock(shared_.sessions_mutex);
            shared_.sessions.insert(this);
        }
        net::dispatch(stream_.get_executor(),
                      beast::bind_front_handler(&Session::start, shared_from_this()));
    }

    void shut_down() override {
        auto self_ptr = weak_from_this().lock();
        if (!self_ptr) {
            return;  // already on its way out
        }
        net::post(stream_.get_executor(), [self = std::move(self_ptr)] {
            if (self->idle_) {
                beast::error_code ec;
                self->tcp_().socket().shutdown(tcp::socket::shutdown_both, ec);
                self->tcp_().cancel();
            }
        });
    }

private:
    beast::tcp_stream& tcp_() { return beast::get_lowest_layer(stream_); }

    void start() {
        if constexpr (kTls) {
            // The handshake counts as the start of the first request.
            idle_ = true;
            tcp_().expires_after(std::chrono::seconds(shared_.config.header_timeout_seconds));
            stream_.async_handshake(ssl::stream_base::server,
                                    [self = shared_from_this()](beast::error_code ec) {
                                        if (ec) {
                                            return self->drop();
                                        }
                                        self->handshake_done_ = true;
                                        self->do_read();
                                    });
        } else {
            do_read();
        }
    }

    void do_read() {
        if (shared_.stopping) {
            return close();
        }
        parser_.emplace();
        parser_->header_limit(static_cast<std::uint32_t>(shared_.config.max_header_bytes));
        // The limit depends on the Content-Type, known only after the header: no limit while
        // the header is read (so a too large Content-Length is answered in the requested
        // format), then on_header applies the right one before any of the body is read.
        parser_->body_limit(boost::none);
        idle_ = true;
        if (buffer_.size() > 0) {
            return read_header();  // the next request is already here (pipelining)
        }
        // Waiting for a request's first byte: a kept-alive connection may wait the idle
        // timeout; a new one must start at once (header timeout), so a crowd of silent
        // connections cannot hold the server's slots.
        const unsigned wait = served_ > 0 ? shared_.config.idle_timeout_seconds
                                          : shared_.config.header_timeout_seconds;
        tcp_().expires_after(std::chrono::seconds(wait));
        stream_.async_read_some(buffer_.prepare(kFirstReadBytes),
                                [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                                    if (ec) {
                                        return self->on_read_error(ec);
                                    }
                                    self->buffer_.commit(n);
                                    self->read_header();
                                });
    }

    /// From a request's first byte, its whole header must arrive within the header timeout.
    void read_header() {
        tcp_().expires_after(std::chrono::seconds(shared_.config.header_timeout_seconds));
        http::async_read_header(stream_,
                                buffer_,
                                *parser_,
                                beast::bind_front_handler(&Session::on_header, shared_from_this()));
    }

    void on_header(beast::error_code ec, std::size_t) {
        idle_ = false;
        if (ec) {
            return on_read_error(ec);
        }
        started_ = std::chrono::steady_clock::now();
        if (!in_flight_) {
            in_flight_ = true;
            shared_.metrics.in_flight.add();
        }
        auto& req = parser_->get();
        const auto body = plan_body(*parser_, shared_.config);
        parser_->body_limit(body.limit);
        if (parser_->content_length() && *parser_->content_length() > body.limit) {
            return on_read_error(http::error::body_limit);
        }
        if (body.reserve > 0) {
            if (!shared_.reserve_body(body.reserve)) {
                return reject(ErrorCode::too_many_requests,
                              "too many large request bodies in progress; retry shortly");
            }
            reserved_ = body.reserve;
        }
        if (body.multipart) {
            // Streamed into the API's upload spool as it arrives (upload_stream.hpp).
            upload_.emplace(std::move(*parser_), body.limit, shared_.api, shared_.config);
            parser_.reset();
        }
        tcp_().expires_after(std::chrono::seconds(shared_.config.request_timeout_seconds));
        if (beast::iequals(req[http::field::expect], "100-continue")) {
            auto cont =
                std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
            return http::async_write(
                stream_,
                *cont,
                [self = shared_from_this(), cont](beast::error_code wec, std::size_t) {
                    if (wec) {
                        return self->close();
                    }
                    self->read_body();
                });
        }
        read_body();
    }

    void read_body() {
        if (upload_) {
            return upload_->read(
                stream_,
                buffer_,
                shared_.workers,
                std::chrono::seconds(shared_.config.request_timeout_seconds),
                [self = shared_from_this()](beast::error_code ec,
                                            std::shared_ptr<api::UploadedForm> form) {
                    self->on_upload(ec, std::move(form));
                });
        }
        http::async_read(stream_,
                         buffer_,
                         *parser_,
                         beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec) {
            return on_read_error(ec);
        }
        auto request = take_request(parser_->get());
        request->body = std::move(parser_->get().body());
        dispatch(std::move(request));
    }

    /// The API's request for a received message; keeps what the answer needs of it.
    template <typename Body>
    std::shared_ptr<api::HttpRequest> take_request(const http::request<Body>& req) {
        keep_alive_ = req.keep_alive();
        verb_ = req.method();
        auto request = to_api_request(req, client_);
        if (const auto& header = shared_.request_ids.header(); !header.empty()) {
            request->request_id = shared_.request_ids.id_for(client_, req[header]);
        }
        request->operations_listener = operations_;
        return request;
    }

    void on_upload(beast::error_code ec, std::shared_ptr<api::UploadedForm> form) {
        if (ec) {
            return on_read_error(ec);  // the upload's header stays, for the answer's format
        }
        auto request = take_request(upload_->parser().get());
        request->form = std::move(form);
        upload_.reset();
        dispatch(std::move(request));
    }

    void on_read_error(beast::error_code ec) {
        if (auto answer = answer_to_read_error(ec)) {
            return reject(answer->code, answer->description);
        }
        close();
    }

    /// Answers an error found by the transport, in the format the request asks for where its
    /// header could be read (XML otherwise), and closes the connection afterwards.
    void reject(ErrorCode code, std::string description) {
        const http::request_header<>* header = nullptr;
        if (parser_ && parser_->is_header_done()) {
            header = &parser_->get();
        } else if (upload_) {
            header = &upload_->header();
        }
        ApiError error{code, std::move(description)};
        auto r = header == nullptr ? shared_.api.transport_error(error)
                                   : shared_.api.transport_error(
                                         error, header->target(), (*header)[http::field::accept]);
        if (code == ErrorCode::too_many_requests) {
            r.headers.emplace_back("Retry-After", "1");
        }
        r.route = "(rejected)";
        keep_alive_ = false;
        write(std::move(r), http::verb::unknown);
    }

    void dispatch(std::shared_ptr<api::HttpRequest> request) {
        // Reads on the I/O thread, everything else on a worker (see the top of the file).
        if (request->method == api::Method::get || request->method == api::Method::head ||
            request->method == api::Method::options) {
            std::optional<api::HttpResponse> response;
            if (!shared_.reads_block) {
                response = shared_.api.handle(*request);
            } else {
                response = shared_.api.answer_from_memory(*request);
                if (!response && answer_on_loop(request)) {
                    return;
                }
            }
            if (response) {
                release_body();
                request_id_ = std::move(request->request_id);
                method_ = request->method;
                return write(std::move(*response), verb_);
            }
        }
        tcp_().expires_never();
        net::post(shared_.workers, [self = shared_from_this(), request = std::move(request)] {
            // A write that waits for its group commit holds no worker: the answer may come
            // later, from a worker the API posts its rest to.
            self->shared_.api.handle(
                *request,
                [self](std::function<void()> work) {
                    net::post(self->shared_.workers, std::move(work));
                },
                [self, request](api::HttpResponse response) {
                    self->answer(request, std::move(response));
                });
        });
    }

    /// A read the API answers on this I/O thread without waiting here (the store reads on this
    /// thread's event loop and calls back): no hand-off to a worker and back. False when the
    /// route or the store cannot; nothing was answered then.
    bool answer_on_loop(const std::shared_ptr<api::HttpRequest>& request) {
        auto& loop = static_cast<net::io_context&>(stream_.get_executor().context());
        auto self = shared_from_this();
        tcp_().expires_never();
        return shared_.api.answer_on_loop(
            *request,
            loop,
            [self](std::function<void()> work) {
                net::post(self->stream_.get_executor(), std::move(work));
            },
            [self, request](api::HttpResponse response) {
                // On this I/O thread: the request's own or a rest posted to its loop.
                self->release_body();
                self->request_id_ = request->request_id;
                self->method_ = request->method;
                self->write(std::move(response), self->verb_);
            });
    }

    /// Takes a worker's answer to `request` back to the connection's I/O context.
    void answer(const std::shared_ptr<api::HttpRequest>& request, api::HttpResponse response) {
        // Spooled upload files are removed here, on the worker and before the answer leaves:
        // whatever the outcome, nothing of the upload outlives its request.
        request->form.reset();
        net::post(stream_.get_executor(),
                  [self = shared_from_this(),
                   response = std::make_shared<api::HttpResponse>(std::move(response)),
                   request] {
                      // The body has been handled: give its share of the budget back before the
                      // client can send its next request.
                      self->release_body();
                      self->request_id_ = request->request_id;
                      self->method_ = request->method;
                      self->write(std::move(*response), self->verb_);
                  });
    }

    void write(api::HttpResponse r, http::verb verb) {
        if (r.file && verb != http::verb::head) {
            beast::error_code ec;
            auto res = file_response(r.status, *r.file, ec);
            if (ec) {
                // Removed between the lookup and now (a staff deletion).
                auto gone = shared_.api.file_gone();
                gone.route = r.route;
                gone.route_id = r.route_id;
                return write(std::move(gone), verb);
            }
            const std::uint64_t bytes = r.file->length;
            return send(std::move(res), std::move(r), bytes);
        }
        auto res = std::make_shared<http::response<http::string_body>>(
            static_cast<http::status>(r.status), 11);
        std::uint64_t bytes = r.body.size();
        res->body() = std::move(r.body);
        if (r.file) {
            bytes = r.file->length;  // HEAD of a file: its headers without the body
        }
        const bool head = verb == http::verb::head;
        return send(std::move(res), std::move(r), bytes, head);
    }

    template <typename Body>
    void send(std::shared_ptr<http::response<Body>> res,
              api::HttpResponse r,
              std::uint64_t bytes,
              bool head = false) {
        set_header(*res, r, request_id_);
        const bool close_after = !keep_alive_ || shared_.stopping;
        res->keep_alive(!close_after);
        res->prepare_payload();
        if (head && r.status != 204 && r.status != 304) {
            res->body() = {};  // Content-Length stays that of the GET answer
            res->set(http::field::content_length, std::to_string(bytes));
        }
        observe(r, bytes);
        request_id_.clear();
        method_ = api::Method::other;
        ++served_;
        tcp_().expires_after(std::chrono::seconds(shared_.config.request_timeout_seconds));
        http::async_write(
            stream_,
            *res,
            [self = shared_from_this(), res, close_after](beast::error_code ec, std::size_t) {
                self->release_body();
                if (ec || close_after) {
                    return self->close();
                }
                self->buffer_.consume(0);
                self->do_read();
            });
    }

    /// The answer's metrics and access line: counted once it is handed to the socket, timed
    /// from its request's header. Relaxed atomics and, for the log, a queue: nothing here waits.
    void observe(const api::HttpResponse& r, std::uint64_t bytes) {
        const auto duration = telemetry::micros_since(started_);
        leave_flight();
        if (shared_.config.metrics.enabled) {
            shared_.metrics.record(
                r.route_id, r.route, static_cast<std::size_t>(method_), r.status, duration);
        }
        if (telemetry::access_log_wants(shared_.config, r.status)) {
            telemetry::log_access(request_id_,
                                  method_ == api::Method::other ? "-" : api::to_string(method_),
                                  r.route,
                                  r.status,
                                  bytes,
                                  duration);
        }
    }

    void leave_flight() {
        if (in_flight_) {
            in_flight_ = false;
            shared_.metrics.in_flight.sub();
        }
    }

    void release_body() {
        if (reserved_ > 0) {
            shared_.release_body(reserved_);
            reserved_ = 0;
        }
    }

    /// Ends the connection after an answer or a read error: a TLS session says close_notify
    /// first (bounded by a short timeout), then the socket is closed.
    void close() {
        if constexpr (kTls) {
            if (handshake_done_ && !closing_) {
                closing_ = true;
                tcp_().expires_after(std::chrono::seconds(2));
                return stream_.async_shutdown(
                    [self = shared_from_this()](beast::error_code) { self->drop(); });
            }
        }
        drop();
    }

    /// Closes the socket without a word.
    void drop() {
        beast::error_code ec;
        tcp_().socket().shutdown(tcp::socket::shutdown_send, ec);
        tcp_().socket().close(ec);
    }

    static constexpr std::size_t kFirstReadBytes = 4096;
    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::optional<UploadStream> upload_;  ///< set while a multipart body is received
    SharedState& shared_;
    std::string client_;
    std::string request_id_;
    api::Method method_ = api::Method::other;  ///< of the request being answered
    bool in_flight_ = false;                   ///< counted in http_requests_in_flight
    const bool operations_;                    ///< accepted on metrics.listen
    http::verb verb_ = http::verb::get;
    bool keep_alive_ = true;
    std::size_t reserved_ = 0;  // bytes of the shared body budget this request holds
    bool idle_ = false;
    std::uint64_t served_ = 0;     // answers written on this connection
    bool handshake_done_ = false;  // TLS only
    bool closing_ = false;         // TLS only: close_notify is on its way
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

}  // namespace

void run_session(SharedState& shared, tcp::socket&& socket, ssl::context* tls, bool operations) {
    if (tls != nullptr) {
        std::make_shared<Session<TlsStream>>(shared, operations, std::move(socket), *tls)->run();
    } else {
        std::make_shared<Session<PlainStream>>(shared, operations, std::move(socket))->run();
    }
}

}  // namespace open311::http
