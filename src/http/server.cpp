// The transport: Beast listener and sessions. The only file that includes Beast.
// Each I/O thread runs an io_context of its own (measured faster than threads sharing one:
// no strands, no shared queue), and a connection stays on the context that accepted it.
// Reads (GET, HEAD, OPTIONS) are answered on the I/O thread: they are short, indexed SQLite
// reads on a pooled connection, and handing them to another thread and back cost more CPU
// than the query (bench/README.md). Everything else (writes, which wait for the group commit)
// runs on the worker pool, and its reply is posted back to the connection's context.
// A session is a template over its stream: plain TCP, or TLS over TCP when the server holds a
// certificate; everything above the stream is the same code.
#include "open311/http/server.hpp"

#include "api/api.hpp"
#include "api/core/context.hpp"
#include "api/core/negotiate.hpp"
#include "api/upload/upload_spool.hpp"
#include "util/random.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <sys/resource.h>
#include <thread>
#include <unordered_set>

namespace open311 {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

/// What the server needs of a session of either stream type.
class SessionBase {
public:
    virtual ~SessionBase() = default;
    /// Called on stop: an idle connection closes now; a busy one after its reply.
    virtual void shut_down() = 0;
};

/// What every session shares: configuration, the API, the worker pool and the session registry.
struct Shared {
    const Config& config;
    api::Api api;
    net::thread_pool& workers;
    std::atomic<bool> stopping{false};
    /// Bytes of request bodies being received or handled now, bounded by max_inflight_body_bytes
    /// so that many large uploads at once cannot exhaust memory.
    std::atomic<std::size_t> inflight_body_bytes{0};

    bool reserve_body(std::size_t bytes) {
        auto current = inflight_body_bytes.load();
        do {
            if (current + bytes > config.max_inflight_body_bytes) {
                return false;
            }
        } while (!inflight_body_bytes.compare_exchange_weak(current, current + bytes));
        return true;
    }
    void release_body(std::size_t bytes) { inflight_body_bytes -= bytes; }
    std::mutex sessions_mutex;
    std::unordered_set<SessionBase*> sessions;
    std::condition_variable sessions_done;
    /// Connections open now (sessions.size() without the lock), against max_connections.
    std::atomic<std::size_t> connections{0};

    Shared(const Config& c, Store& s, net::thread_pool& w) : config(c), api(c, s), workers(w) {}
};

api::Method to_method(http::verb verb) {
    switch (verb) {
        case http::verb::get:
            return api::Method::get;
        case http::verb::head:
            return api::Method::head;
        case http::verb::post:
            return api::Method::post;
        case http::verb::put:
            return api::Method::put;
        case http::verb::patch:
            return api::Method::patch;
        case http::verb::delete_:
            return api::Method::delete_;
        case http::verb::options:
            return api::Method::options;
        default:
            return api::Method::other;
    }
}

bool iequals(beast::string_view a, beast::string_view b) {
    return beast::iequals(a, b);
}

/// A window of a file for Beast's file body, so that a range of a media file is streamed from
/// disk like a whole one: size() is the window's length and reading starts at its offset.
class FileWindow {
public:
    FileWindow() = default;

    bool is_open() const { return file_.is_open(); }
    void close(beast::error_code& ec) { file_.close(ec); }
    void open(char const* path, beast::file_mode mode, beast::error_code& ec) {
        file_.open(path, mode, ec);
        offset_ = 0;
        length_ = ec ? 0 : file_.size(ec);
    }
    void open_window(const std::string& path,
                     std::uint64_t offset,
                     std::uint64_t length,
                     beast::error_code& ec) {
        file_.open(path.c_str(), beast::file_mode::scan, ec);
        if (!ec) {
            file_.seek(offset, ec);
        }
        offset_ = offset;
        length_ = length;
    }
    std::uint64_t size(beast::error_code& ec) const {
        ec = {};
        return length_;
    }
    std::uint64_t pos(beast::error_code& ec) const { return file_.pos(ec) - offset_; }
    void seek(std::uint64_t offset, beast::error_code& ec) { file_.seek(offset_ + offset, ec); }
    std::size_t read(void* buffer, std::size_t n, beast::error_code& ec) {
        return file_.read(buffer, n, ec);
    }
    std::size_t write(void const*, std::size_t, beast::error_code& ec) {
        ec = net::error::operation_not_supported;
        return 0;
    }

private:
    beast::file file_;
    std::uint64_t offset_ = 0;
    std::uint64_t length_ = 0;
};

using FileWindowBody = http::basic_file_body<FileWindow>;

using PlainStream = beast::tcp_stream;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

template <typename Stream>
class Session final : public SessionBase, public std::enable_shared_from_this<Session<Stream>> {
    static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;
    using std::enable_shared_from_this<Session<Stream>>::shared_from_this;
    using std::enable_shared_from_this<Session<Stream>>::weak_from_this;

public:
    template <typename... StreamArgs>
    Session(Shared& shared, StreamArgs&&... stream_args)
        : stream_(std::forward<StreamArgs>(stream_args)...), shared_(shared) {
        beast::error_code ec;
        auto endpoint = tcp_().socket().remote_endpoint(ec);
        if (!ec) {
            client_ = endpoint.address().to_string();
        }
        ++shared_.connections;
    }

    ~Session() override {
        release_body();
        --shared_.connections;
        std::lock_guard lock(shared_.sessions_mutex);
        shared_.sessions.erase(this);
        shared_.sessions_done.notify_all();
    }

    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

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
        auto& req = parser_->get();
        // Forms with files may be larger than other bodies (two settings).
        auto type = req[http::field::content_type];
        const bool multipart =
            type.size() >= 19 && iequals(type.substr(0, 19), "multipart/form-data");
        const std::size_t limit =
            multipart ? shared_.config.max_multipart_bytes : shared_.config.max_body_bytes;
        parser_->body_limit(limit);
        if (parser_->content_length() && *parser_->content_length() > limit) {
            return on_read_error(http::error::body_limit);
        }
        // Reserve what the body may take: its Content-Length, or the limit for a chunked body.
        // A request without a body reserves nothing.
        const std::size_t expected = parser_->content_length()
                                         ? static_cast<std::size_t>(*parser_->content_length())
                                     : parser_->chunked() ? limit
                                                          : 0;
        if (expected > 0) {
            if (!shared_.reserve_body(expected)) {
                return reject(ErrorCode::too_many_requests,
                              "too many large request bodies in progress; retry shortly");
            }
            reserved_ = expected;
        }
        if (multipart) {
            start_upload(limit);
        }
        tcp_().expires_after(std::chrono::seconds(shared_.config.request_timeout_seconds));
        if (iequals(req[http::field::expect], "100-continue")) {
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
        if (upload_parser_) {
            return read_upload_chunk();
        }
        http::async_read(stream_,
                         buffer_,
                         *parser_,
                         beast::bind_front_handler(&Session::on_read, shared_from_this()));
    }

    /// A multipart/form-data body is not collected in memory: it is read in chunks and each
    /// chunk goes through the multipart reader into spool files (on a worker, as it writes to
    /// disk), so a 50 MB upload costs one chunk of memory. No worker waits for the client:
    /// between chunks the session only has a read pending on its socket.
    void start_upload(std::size_t limit) {
        upload_parser_.emplace(std::move(*parser_));
        upload_parser_->body_limit(limit);
        parser_.reset();
        upload_spool_ = std::make_unique<api::UploadSpool>(
            shared_.config, std::string(upload_parser_->get()[http::field::content_type]));
        chunk_.resize(kUploadChunkBytes);
        upload_deadline_ = std::chrono::steady_clock::now() +
                           std::chrono::seconds(shared_.config.upload_timeout_seconds);
    }

    void read_upload_chunk() {
        filled_ = 0;
        continue_upload_read();
    }

    /// Reads into the rest of the chunk buffer. A socket read gives at most 64 KiB; chunks are
    /// filled by several reads on the I/O thread so that a worker is asked once per chunk.
    void continue_upload_read() {
        auto& body = upload_parser_->get().body();
        body.data = chunk_.data() + filled_;
        body.size = chunk_.size() - filled_;
        const auto now = std::chrono::steady_clock::now();
        if (now >= upload_deadline_) {
            return end_upload_with_timeout();
        }
        // Each read must make progress within the request timeout, and the whole upload
        // must end within the upload timeout: a slow or stalled client is cut off.
        const std::chrono::steady_clock::duration idle =
            std::chrono::seconds(shared_.config.request_timeout_seconds);
        tcp_().expires_after(std::min(idle, upload_deadline_ - now));
        http::async_read_some(
            stream_,
            buffer_,
            *upload_parser_,
            beast::bind_front_handler(&Session::on_upload_chunk, shared_from_this()));
    }

    void end_upload_with_timeout() {
        upload_spool_.reset();  // removes the spool files
        close();
    }

    void on_upload_chunk(beast::error_code ec, std::size_t) {
        if (ec == http::error::need_buffer) {
            ec = {};
        }
        if (ec) {
            upload_spool_.reset();
            return on_read_error(ec);
        }
        filled_ = chunk_.size() - upload_parser_->get().body().size;
        const bool done = upload_parser_->is_done();
        if (!done && filled_ < chunk_.size()) {
            return continue_upload_read();
        }
        const std::size_t got = filled_;
        tcp_().expires_never();
        net::post(shared_.workers, [self = shared_from_this(), got, done] {
            self->upload_spool_->feed(std::string_view(self->chunk_.data(), got));
            std::shared_ptr<api::UploadedForm> form;
            if (done) {
                form = self->upload_spool_->finish();
            }
            net::post(self->stream_.get_executor(), [self, done, form = std::move(form)] {
                if (!done) {
                    return self->read_upload_chunk();
                }
                self->upload_spool_.reset();
                self->chunk_ = {};
                auto request = self->make_request(self->upload_parser_->get());
                request->form = form;
                self->upload_parser_.reset();
                self->dispatch(std::move(request));
            });
        });
    }

    void on_read_error(beast::error_code ec) {
        if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
            ec == beast::error::timeout || ec == net::error::connection_reset ||
            ec == net::error::eof || ec == ssl::error::stream_truncated) {
            return close();
        }
        // A malformed or oversized request still gets a proper answer before the close.
        const bool too_large = ec == http::error::body_limit;
        reject(too_large ? ErrorCode::payload_too_large : ErrorCode::bad_request,
               too_large                         ? "request body exceeds the configured limit"
               : ec == http::error::header_limit ? "request header too large"
                                                 : "malformed HTTP request");
    }

    /// Answers an error found by the transport, in the format the request asks for where its
    /// header could be read (XML otherwise), and closes the connection afterwards.
    void reject(ErrorCode code, const std::string& description) {
        auto fmt = format::Format::xml;
        const http::request_header<>* header = nullptr;
        if (parser_ && parser_->is_header_done()) {
            header = &parser_->get();
        } else if (upload_parser_) {
            header = &upload_parser_->get();
        }
        if (header != nullptr) {
            const auto& req = *header;
            std::string path(req.target().substr(0, req.target().find('?')));
            auto suffix = api::strip_format_suffix(path);
            fmt = suffix ? *suffix : api::negotiate_accept(std::string(req[http::field::accept]));
        }
        auto r = api::Responder(shared_.config).error(fmt, {code, description});
        if (code == ErrorCode::too_many_requests) {
            r.headers.emplace_back("Retry-After", "1");
        }
        r.route = "(rejected)";
        keep_alive_ = false;
        write(std::move(r), http::verb::unknown);
    }

    void on_read(beast::error_code ec, std::size_t) {
        if (ec) {
            return on_read_error(ec);
        }
        auto request = make_request(parser_->get());
        request->body = std::move(parser_->get().body());
        dispatch(std::move(request));
    }

    /// The transport-free request for a received header.
    template <typename Body>
    std::shared_ptr<api::HttpRequest> make_request(const http::request<Body>& req) {
        auto request = std::make_shared<api::HttpRequest>();
        request->method = to_method(req.method());
        request->method_name = std::string(req.method_string());
        request->target = std::string(req.target());
        request->content_type = std::string(req[http::field::content_type]);
        request->accept = std::string(req[http::field::accept]);
        request->authorization = std::string(req[http::field::authorization]);
        request->if_match = std::string(req[http::field::if_match]);
        request->origin = std::string(req[http::field::origin]);
        request->range = std::string(req[http::field::range]);
        request->if_none_match = std::string(req[http::field::if_none_match]);
        request->if_range = std::string(req[http::field::if_range]);
        request->accept_encoding = std::string(req[http::field::accept_encoding]);
        request->forwarded_for = std::string(req["X-Forwarded-For"]);
        request->idempotency_key = std::string(req["Idempotency-Key"]);
        request->client_address = client_;
        request->request_id = random_id(12);
        keep_alive_ = req.keep_alive();
        verb_ = req.method();
        return request;
    }

    void dispatch(std::shared_ptr<api::HttpRequest> request) {
        // Reads are answered on the I/O thread: a hop to the worker pool and back costs more
        // than the cached statements and the serialisation they need.
        if (request->method == api::Method::get || request->method == api::Method::head ||
            request->method == api::Method::options) {
            auto response = shared_.api.handle(*request);
            release_body();
            request_id_ = std::move(request->request_id);
            method_name_ = api::to_string(request->method);
            return write(std::move(response), verb_);
        }
        tcp_().expires_never();
        net::post(shared_.workers, [self = shared_from_this(), request = std::move(request)] {
            auto response = std::make_shared<api::HttpResponse>(self->shared_.api.handle(*request));
            // Spooled upload files are removed here, on the worker and before the answer
            // leaves: whatever the outcome, nothing of the upload outlives its request.
            request->form.reset();
            net::post(self->stream_.get_executor(), [self, response, request] {
                // The body has been handled: give its share of the budget back before the
                // client can send its next request.
                self->release_body();
                self->request_id_ = request->request_id;
                self->method_name_ = api::to_string(request->method);
                self->write(std::move(*response), self->verb_);
            });
        });
    }

    void write(api::HttpResponse r, http::verb verb) {
        if (r.file && verb != http::verb::head) {
            auto res = std::make_shared<http::response<FileWindowBody>>(
                static_cast<http::status>(r.status), 11);
            FileWindow window;
            beast::error_code ec;
            window.open_window(r.file->path, r.file->offset, r.file->length, ec);
            if (!ec) {
                res->body().reset(std::move(window), ec);
            }
            if (ec) {
                // Removed between the lookup and now (a staff deletion).
                auto gone =
                    api::Responder(shared_.config)
                        .error(format::Format::json, {ErrorCode::not_found, "no such media"});
                gone.route = r.route;
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
        res->set(http::field::server, "open311d");
        if (!r.content_type.empty()) {
            res->set(http::field::content_type, r.content_type);
        }
        if (!request_id_.empty()) {
            res->set("X-Request-Id", request_id_);
        }
        for (auto& [name, value] : r.headers) {
            res->insert(name, value);
        }
        const bool close_after = !keep_alive_ || shared_.stopping;
        res->keep_alive(!close_after);
        res->prepare_payload();
        if (head && r.status != 204 && r.status != 304) {
            res->body() = {};  // Content-Length stays that of the GET answer
            res->set(http::field::content_length, std::to_string(bytes));
        }
        if (shared_.config.access_log) {
            auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                              std::chrono::steady_clock::now() - started_)
                              .count();
            // The route pattern, never the raw target: queries can carry api_key.
            spdlog::info("access id={} {} {} status={} bytes={} us={}",
                         request_id_.empty() ? "-" : request_id_,
                         method_name_.empty() ? "-" : method_name_,
                         r.route,
                         r.status,
                         bytes,
                         micros);
        }
        request_id_.clear();
        method_name_.clear();
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
    static constexpr std::size_t kUploadChunkBytes = 256 * 1024;
    std::size_t filled_ = 0;  ///< bytes of chunk_ holding body data not yet spooled
    std::optional<http::request_parser<http::buffer_body>> upload_parser_;
    std::unique_ptr<api::UploadSpool> upload_spool_;
    std::vector<char> chunk_;  ///< the one buffer an upload occupies while it is received
    std::chrono::steady_clock::time_point upload_deadline_;
    Shared& shared_;
    std::string client_;
    std::string request_id_;
    std::string method_name_;
    http::verb verb_ = http::verb::get;
    bool keep_alive_ = true;
    std::size_t reserved_ = 0;  // bytes of the shared body budget this request holds
    bool idle_ = false;
    std::uint64_t served_ = 0;     // answers written on this connection
    bool handshake_done_ = false;  // TLS only
    bool closing_ = false;         // TLS only: close_notify is on its way
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

/// A TLS 1.2+ server context with the configured certificate chain and key.
std::unique_ptr<ssl::context> make_tls_context(const Config& c) {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    // TLS 1.2: forward-secret AEAD suites only (TLS 1.3 suites are all of that kind already).
    SSL_CTX_set_cipher_list(context->native_handle(),
                            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
    SSL_CTX_set_options(context->native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
    beast::error_code ec;
    context->use_certificate_chain_file(c.tls_certificate, ec);
    if (ec) {
        throw std::runtime_error("server.tls_certificate: cannot load '" + c.tls_certificate +
                                 "': " + ec.message());
    }
    context->use_private_key_file(c.tls_private_key, ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("server.tls_private_key: cannot load '" + c.tls_private_key +
                                 "': " + ec.message());
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
        throw std::runtime_error("server.tls_private_key: does not match server.tls_certificate");
    }
    return context;
}

/// Lets the process hold max_connections sockets plus its files: the soft limit of open files
/// (often 1024) is raised towards the hard one.
void raise_open_files_limit(std::size_t max_connections) {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) {
        return;
    }
    const rlim_t wanted = static_cast<rlim_t>(max_connections) + 256;
    if (limit.rlim_cur != RLIM_INFINITY && limit.rlim_cur < wanted) {
        const rlim_t before = limit.rlim_cur;
        limit.rlim_cur =
            limit.rlim_max == RLIM_INFINITY ? wanted : std::min(wanted, limit.rlim_max);
        setrlimit(RLIMIT_NOFILE, &limit);
        if (limit.rlim_cur < wanted) {
            spdlog::warn(
                "open files limit {} (hard limit) is below server.max_connections + 256; "
                "connections beyond it fail to open",
                limit.rlim_cur);
        } else if (before != limit.rlim_cur) {
            spdlog::debug("open files limit raised from {} to {}", before, limit.rlim_cur);
        }
    }
}

/// A connection over server.max_connections: plain HTTP gets a 503 with Retry-After and the
/// connection is closed once the client has finished sending (closing with its request
/// unread would reset the connection and could destroy the answer before it is read).
class Refusal final : public std::enable_shared_from_this<Refusal> {
public:
    Refusal(tcp::socket&& socket, std::shared_ptr<const std::string> answer)
        : socket_(std::move(socket)), timer_(socket_.get_executor()), answer_(std::move(answer)) {}

    void run() {
        beast::error_code ec;
        socket_.non_blocking(true, ec);
        socket_.write_some(net::buffer(*answer_), ec);  // a few hundred bytes: one segment
        socket_.shutdown(tcp::socket::shutdown_send, ec);
        timer_.expires_after(std::chrono::seconds(1));
        timer_.async_wait([self = shared_from_this()](beast::error_code) {
            beast::error_code ignored;
            self->socket_.close(ignored);
        });
        drain();
    }

private:
    void drain() {
        socket_.async_read_some(net::buffer(sink_),
                                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                    if (ec) {
                                        self->timer_.cancel();
                                        beast::error_code ignored;
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

/// The bytes of the 503 sent to connections over the limit (built once).
std::shared_ptr<const std::string> make_refusal(const Config& c) {
    auto r = api::Responder(c).error(
        format::Format::xml,
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

struct Server::Impl {
    Impl(const Config& c, Store& s)
        : config(c),
          contexts(make_contexts(c.io_threads)),
          workers(c.worker_threads),
          acceptor(*contexts.front()),
          accept_retry(*contexts.front()) {
        if (!c.tls_certificate.empty()) {
            tls = make_tls_context(c);
        }
        refusal = make_refusal(c);
        raise_open_files_limit(c.max_connections);
        auto address =
            net::ip::make_address(c.listen_host == "localhost" ? "127.0.0.1" : c.listen_host);
        tcp::endpoint endpoint(address, c.listen_port);
        acceptor.open(endpoint.protocol());
        acceptor.set_option(net::socket_base::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen(net::socket_base::max_listen_connections);
        // With port 0 the system picked one; the API must name the real one (discovery).
        config.listen_port = acceptor.local_endpoint().port();
        shared = std::make_unique<Shared>(config, s, workers);
    }

    void do_accept() {
        // Connections are spread over the I/O threads' contexts in turn.
        auto& context = *contexts[next_context++ % contexts.size()];
        acceptor.async_accept(context, [this](beast::error_code ec, tcp::socket socket) {
            if (ec) {
                if (ec == net::error::operation_aborted || !acceptor.is_open()) {
                    return;
                }
                // Out of file descriptors or memory: pause instead of spinning on the error.
                spdlog::warn("accept failed: {}", ec.message());
                accept_retry.expires_after(std::chrono::milliseconds(100));
                accept_retry.async_wait([this](beast::error_code wait_ec) {
                    if (!wait_ec) {
                        do_accept();
                    }
                });
                return;
            }
            if (shared->connections.load() >= config.max_connections) {
                if (tls) {
                    beast::error_code ignored;
                    socket.close(ignored);  // a 503 would need a handshake first
                } else {
                    std::make_shared<Refusal>(std::move(socket), refusal)->run();
                }
            } else if (tls) {
                std::make_shared<Session<TlsStream>>(*shared, std::move(socket), *tls)->run();
            } else {
                std::make_shared<Session<PlainStream>>(*shared, std::move(socket))->run();
            }
            do_accept();
        });
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
    std::unique_ptr<Shared> shared;
    std::vector<std::unique_ptr<net::io_context>> contexts;
    std::size_t next_context = 0;  // used on the acceptor's context only
    net::thread_pool workers;
    tcp::acceptor acceptor;
    net::steady_timer accept_retry;
    std::unique_ptr<ssl::context> tls;  // set when the server terminates TLS
    std::shared_ptr<const std::string> refusal;
    std::vector<net::executor_work_guard<net::io_context::executor_type>> work;
    std::vector<std::thread> threads;
    bool started = false;
    bool stopped = false;
    std::mutex stop_mutex;
};

Server::Server(const Config& config, Store& store) {
    try {
        impl_ = std::make_unique<Impl>(config, store);
    } catch (const boost::system::system_error& e) {
        throw std::runtime_error("cannot listen on " + config.listen_host + ":" +
                                 std::to_string(config.listen_port) + ": " + e.code().message());
    }
}

Server::~Server() {
    stop();
}

std::uint16_t Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void Server::start() {
    if (impl_->started) {
        return;
    }
    impl_->started = true;
    for (auto& context : impl_->contexts) {
        impl_->work.emplace_back(context->get_executor());
    }
    impl_->do_accept();
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
            beast::error_code ec;
            s.acceptor.close(ec);
            s.accept_retry.cancel();
            closed.set_value();
        });
        closed.get_future().wait();
    } else {
        beast::error_code ec;
        s.acceptor.close(ec);
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

void Server::run_until_signal() {
    net::io_context signals_ioc;
    net::signal_set signals(signals_ioc, SIGINT, SIGTERM);
    signals.async_wait([](beast::error_code, int signal) {
        spdlog::info("received signal {}, stopping: in-flight requests finish first", signal);
    });
    signals_ioc.run();
    stop();
}

}  // namespace open311
