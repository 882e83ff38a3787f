// Between Beast's messages and the API's types: the rest of the server sees no Beast type.
#include "http/message.hpp"

#include "util/random.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/http/error.hpp>

#include <array>
#include <utility>

namespace open311::http {
namespace {

namespace http = boost::beast::http;

api::Method to_method(http::verb verb) {
    static constexpr std::array<std::pair<http::verb, api::Method>, 7> kMethods{{
        {http::verb::get, api::Method::get},
        {http::verb::head, api::Method::head},
        {http::verb::post, api::Method::post},
        {http::verb::put, api::Method::put},
        {http::verb::patch, api::Method::patch},
        {http::verb::delete_, api::Method::delete_},
        {http::verb::options, api::Method::options},
    }};
    for (auto [from, to] : kMethods) {
        if (from == verb) {
            return to;
        }
    }
    return api::Method::other;
}

}  // namespace

std::shared_ptr<api::HttpRequest> to_api_request(const http::request_header<>& req,
                                                 const std::string& client_address) {
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
    request->accept_language = std::string(req[http::field::accept_language]);
    request->cookie = std::string(req[http::field::cookie]);
    request->forwarded_for = std::string(req["X-Forwarded-For"]);
    request->idempotency_key = std::string(req["Idempotency-Key"]);
    request->htmx = req["HX-Request"] == "true";
    request->client_address = client_address;
    request->request_id = new_request_id();
    return request;
}

BodyPlan plan_body(const http::request_parser<http::string_body>& header_parser,
                   const Config& config) {
    BodyPlan plan;
    auto type = header_parser.get()[http::field::content_type];
    plan.multipart =
        type.size() >= 19 && boost::beast::iequals(type.substr(0, 19), "multipart/form-data");
    plan.limit = plan.multipart ? config.max_multipart_bytes : config.max_body_bytes;
    const auto length = header_parser.content_length();
    plan.reserve = length                    ? static_cast<std::size_t>(*length)
                   : header_parser.chunked() ? plan.limit
                                             : 0;
    return plan;
}

std::optional<ApiError> answer_to_read_error(const boost::beast::error_code& ec) {
    namespace net = boost::asio;
    if (ec == http::error::end_of_stream || ec == net::error::operation_aborted ||
        ec == boost::beast::error::timeout || ec == net::error::connection_reset ||
        ec == net::error::eof || ec == net::ssl::error::stream_truncated) {
        return std::nullopt;
    }
    // A malformed or oversized request still gets a proper answer before the close.
    if (ec == http::error::body_limit) {
        return ApiError{ErrorCode::payload_too_large, "request body exceeds the configured limit"};
    }
    return ApiError{
        ErrorCode::bad_request,
        ec == http::error::header_limit ? "request header too large" : "malformed HTTP request"};
}

void set_header(http::response_header<>& res,
                const api::HttpResponse& response,
                const std::string& request_id) {
    res.set(http::field::server, "open311d");
    if (!response.content_type.empty()) {
        res.set(http::field::content_type, response.content_type);
    }
    if (!request_id.empty()) {
        res.set("X-Request-Id", request_id);
    }
    for (const auto& [name, value] : response.headers) {
        res.insert(name, value);
    }
}

}  // namespace open311::http
