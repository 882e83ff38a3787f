#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace open311::api {

/// HTTP methods the API distinguishes.
enum class Method { get, head, post, put, patch, delete_, options, other };

const char* to_string(Method method);

struct UploadedForm;

/// A request as the transport hands it over: no Beast types cross this line.
struct HttpRequest {
    Method method = Method::get;
    std::string method_name;  ///< as sent, for messages ("BREW")
    std::string target;       ///< path and query as received
    std::string content_type;
    std::string accept;
    std::string authorization;
    std::string if_match;  ///< staff edits: the version the client read
    std::string origin;
    std::string range;          ///< Range header (media downloads)
    std::string if_none_match;  ///< If-None-Match header
    std::string if_range;       ///< If-Range header
    std::string accept_encoding;
    std::string accept_language;  ///< the staff console's language when the user set none
    std::string cookie;           ///< Cookie header (the staff console's session)
    std::string body;
    /// A multipart/form-data body the transport read as it arrived (files spooled to disk);
    /// when set, `body` is empty.
    std::shared_ptr<UploadedForm> form;
    std::string client_address;  ///< the peer's address
    std::string forwarded_for;   ///< X-Forwarded-For, believed only from trusted proxies
    std::string idempotency_key;
    std::string request_id;
    /// HX-Request: true (htmx in the staff console): answer with the changed part of the page.
    bool htmx = false;
    /// Arrived on metrics.listen, the listener of /metrics and the probes only.
    bool operations_listener = false;
};

/// A response body sent from a file: `length` bytes from `offset`.
struct FileSlice {
    std::string path;
    std::uint64_t offset = 0;
    std::uint64_t length = 0;
};

/// A complete response. `route` is the matched route pattern, for the access log.
struct HttpResponse {
    int status = 200;
    std::string content_type;
    std::string body;
    /// When set, the body is this part of a file instead of `body`, streamed by the transport.
    std::optional<FileSlice> file;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string route;
    /// The route's index for the HTTP metrics (telemetry::HttpMetrics::set_routes); -1 when
    /// no route matched, and `route` names what happened instead.
    int route_id = -1;
};

/// Runs a function on the transport's worker pool.
using Post = std::function<void(std::function<void()>)>;
/// Takes a request's answer.
using Reply = std::function<void(HttpResponse)>;

}  // namespace open311::api
