#pragma once

#include "api/core/http_types.hpp"

#include "open311/config.hpp"
#include "open311/errors.hpp"
#include "open311/store/store.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace open311::telemetry {
class HttpMetrics;
}  // namespace open311::telemetry

namespace open311::api {

class UploadSpool;
class Extension;

/// One route of the server's table, with its whole path ("/open311/v2/requests/{id}").
struct RouteEntry {
    Method method = Method::get;
    std::string path;
};

/// A multipart/form-data body being received: the transport feeds it as it arrives, the text
/// fields are kept and the files spooled to disk, so memory holds one chunk at a time.
/// Destroying it before finish() removes the spool files.
class Upload final {
public:
    ~Upload();
    Upload(const Upload&) = delete;
    Upload& operator=(const Upload&) = delete;

    /// Feeds the next piece of the body. It writes to disk: call it off the I/O threads.
    void feed(std::string_view data);
    /// The body has ended: the form to hand over in HttpRequest::form (with its `error` set
    /// when a limit refused it, which the handler answers).
    std::shared_ptr<UploadedForm> finish();

private:
    friend class Api;
    explicit Upload(std::unique_ptr<UploadSpool> spool);
    std::unique_ptr<UploadSpool> spool_;
};

/// The whole HTTP API as a function of a request: routing, negotiation, handlers, CORS and the
/// error boundary. This header and http_types.hpp are all the transport (src/http/) sees.
/// Thread-safe: the transport calls handle() on an I/O thread for GET, HEAD and OPTIONS (on a
/// worker thread when the store's reads wait on the network and answer_from_memory gave none)
/// and on a worker thread for every other method (the form with a Reply, so that a write
/// waiting for its commit holds no worker), concurrently from many threads.
class Api final {
public:
    /// `extension`, when given, sees every request first and every answer last (see
    /// api/extension.hpp).
    Api(const Config& config, Store& store, std::shared_ptr<Extension> extension = {});
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;

    /// The answer to `request`, waiting on this thread for a write's commit.
    HttpResponse handle(const HttpRequest& request) const;
    /// The same without holding the calling thread while a write waits for its group commit
    /// (POST requests on a store that batches commits): `reply` is called exactly once, with
    /// the answer, either before this returns or later from a function given to `post`
    /// (which runs it on the worker pool). `request` must live until `reply` was called.
    void handle(const HttpRequest& request, Post post, Reply reply) const;
    /// The answer to a read (GET, HEAD, OPTIONS) when it can be given without waiting on the
    /// database: a preflight, an unknown route, /healthz, discovery, the cached catalogue, a
    /// list answer still in the cache. nullopt otherwise: then handle() must run, on a worker
    /// thread when the store's reads wait on the network (Store::reads_block).
    std::optional<HttpResponse> answer_from_memory(const HttpRequest& request) const;
    /// On a store whose reads block: answers a read on the calling I/O thread, whose event
    /// loop is `loop`, when its route can without waiting there (Router::add_loop_answer) and
    /// the store can read on that loop now (Store::reads_on_loop). Then true, and `reply` is
    /// called once, on that thread, before or after this returns (`post` runs the rest of the
    /// handler: it must post to `loop`); `request` must live until then. False when it cannot,
    /// having answered nothing: then handle() must run on a worker.
    bool answer_on_loop(const HttpRequest& request,
                        boost::asio::io_context& loop,
                        Post post,
                        Reply reply) const;

    /// The answer to an error the transport finds before a request reaches handle(): a body
    /// over its limit (413), malformed HTTP (400), too many bodies in flight (429), too many
    /// connections (503). It is written in the format the target's suffix or else the Accept
    /// header asks for; XML when neither is known (the header could not be read).
    HttpResponse transport_error(const ApiError& error,
                                 std::string_view target = {},
                                 std::string_view accept = {}) const;
    /// The answer when the file a response was to send has gone before it could be opened
    /// (deleted by staff in between): a 404 in JSON.
    HttpResponse file_gone() const;
    /// Every route this server answers (public ones under the base path), as the OpenAPI
    /// document must list them. Formats and the staff console's pages are not routes.
    std::vector<RouteEntry> routes() const;
    /// Starts receiving a multipart/form-data body with this Content-Type.
    std::unique_ptr<Upload> start_upload(std::string_view content_type) const;
    /// The HTTP metrics the transport records each answer into (GET /metrics shows them).
    telemetry::HttpMetrics& http_metrics() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace open311::api
