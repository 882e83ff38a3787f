#pragma once

#include <string>
#include <utility>
#include <vector>

namespace open311::api {

/// HTTP methods the API distinguishes.
enum class Method { get, head, post, put, patch, delete_, options, other };

const char* to_string(Method method);

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
    std::string body;
    std::string client_address;  ///< the peer's address
    std::string forwarded_for;   ///< X-Forwarded-For, believed only from trusted proxies
    std::string idempotency_key;
    std::string request_id;
};

/// A complete response. `route` is the matched route pattern, for the access log.
struct HttpResponse {
    int status = 200;
    std::string content_type;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    std::string route;
};

}  // namespace open311::api
