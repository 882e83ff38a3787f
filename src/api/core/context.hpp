#pragma once

#include "api/core/http_types.hpp"
#include "api/core/later.hpp"
#include "form/params.hpp"
#include "format/document.hpp"
#include "format/geojson.hpp"
#include "format/request_writer.hpp"

#include "open311/config.hpp"
#include "open311/errors.hpp"

#include <map>
#include <string>
#include <vector>

namespace boost::asio {
class io_context;
}  // namespace boost::asio

namespace open311::api {

// The form layer sits below the API; its types are the API's vocabulary too.
using form::header_parameter;
using form::Params;
using form::parse_form;
using form::parse_multipart;
using form::percent_decode;
using form::percent_encode;

/// Everything a handler needs to know about one request; no transport types.
struct RequestContext {
    const HttpRequest& http;
    format::Format format = format::Format::xml;
    Params query;
    std::map<std::string, std::string> path;  ///< path parameters by name
    std::string route;                        ///< the matched pattern
    /// Who acts: the name of the bearer key a staff route was reached with (set by the API
    /// once the route table's role check passed); empty on public routes.
    std::string actor;
    /// The answer is GeoJSON (`format` is then json, for errors): set only on routes that
    /// offer it (Router's GeoJson::offered).
    bool geojson = false;
    /// For a handler that answers after it returned (Later); null where it must answer at
    /// once (answers from memory, pages that call a handler themselves).
    Later* later = nullptr;
    /// The I/O thread's event loop the handler runs on, on a route that answers there
    /// (Router::add_loop_answer, on a store whose reads block): the handler must then read
    /// through the store's *_on(loop) calls and defer its answer. Null elsewhere.
    boost::asio::io_context* loop = nullptr;
};

/// Adds the security headers every answer carries (nosniff, a CSP that lets an answer run or
/// load nothing, no referrer, no framing); headers already present are kept.
void add_security_headers(HttpResponse& response);

/// Builds responses in the negotiated format with the profile's writer policies.
class Responder {
public:
    explicit Responder(const Config& config) : config_(config) {}

    HttpResponse document(const format::Document& doc, format::Format fmt, int status = 200) const;
    HttpResponse error(format::Format fmt, const ApiError& error) const;
    /// Several errors at once; the HTTP status is that of the first.
    HttpResponse errors(format::Format fmt, const std::vector<ApiError>& errors) const;
    /// Public requests (GET requests, GET requests/{id}), written without building trees
    /// when their text allows (format/request_writer.hpp), else through document().
    HttpResponse public_requests(const std::vector<format::PublicRequestItem>& items,
                                 bool extensions,
                                 bool single,
                                 format::Format fmt) const;
    /// The same requests as GeoJSON: a FeatureCollection with `links`, or (`single`) the one
    /// Feature. The properties are the JSON answer's objects, so no rule is written twice.
    HttpResponse public_features(const std::vector<format::PublicRequestItem>& items,
                                 bool extensions,
                                 bool single,
                                 const std::vector<format::GeoLink>& links) const;
    /// A JSON value for the staff API.
    HttpResponse json(const nlohmann::ordered_json& body, int status = 200) const;

private:
    const Config& config_;
};

}  // namespace open311::api
