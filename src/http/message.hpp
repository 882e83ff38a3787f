#pragma once

#include "api/core/http_types.hpp"

#include "open311/config.hpp"
#include "open311/errors.hpp"

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace open311::http {

/// The API's transport-free request for a received header (its body is added by the caller),
/// with a fresh request id.
std::shared_ptr<api::HttpRequest> to_api_request(const boost::beast::http::request_header<>& req,
                                                 const std::string& client_address);

/// What a request's header says of its body.
struct BodyPlan {
    bool multipart = false;  ///< a form with files, streamed to the upload spool
    std::size_t limit = 0;   ///< the most it may be: forms with files have a setting of their own
    /// What it takes of max_inflight_body_bytes: its Content-Length, the whole limit when it is
    /// chunked, nothing when there is no body.
    std::size_t reserve = 0;
};
BodyPlan plan_body(
    const boost::beast::http::request_parser<boost::beast::http::string_body>& header_parser,
    const Config& config);

/// What a failed read deserves: nothing when the connection ended, timed out or was stopped
/// (it is just closed), else the error answer to send before closing: 413 for a body over
/// its limit, 400 for a header too large or malformed HTTP.
std::optional<ApiError> answer_to_read_error(const boost::beast::error_code& ec);

/// Sets the header of an answer from the API's response: Server, Content-Type, the request id
/// (when there is one) and the response's own headers.
void set_header(boost::beast::http::response_header<>& res,
                const api::HttpResponse& response,
                const std::string& request_id);

}  // namespace open311::http
