#include "api/core/context.hpp"
#include "domain/enum_names.hpp"
#include "format/trees.hpp"

#include <algorithm>

namespace open311 {

int http_status(ErrorCode code) {
    switch (code) {
        case ErrorCode::bad_request:
            return 400;
        case ErrorCode::unauthorized:
            return 401;
        case ErrorCode::forbidden:
            return 403;
        case ErrorCode::not_found:
            return 404;
        case ErrorCode::method_not_allowed:
            return 405;
        case ErrorCode::conflict:
            return 409;
        case ErrorCode::payload_too_large:
            return 413;
        case ErrorCode::too_many_requests:
            return 429;
        case ErrorCode::service_unavailable:
            return 503;
        case ErrorCode::internal:
        default:
            return 500;
    }
}

namespace api {

const char* to_string(Method method) {
    static constexpr EnumNames<Method, 8> kNames(
        {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "OTHER"});
    return kNames.name(method);
}

void add_security_headers(HttpResponse& response) {
    static const std::pair<const char*, const char*> kHeaders[] = {
        {"X-Content-Type-Options", "nosniff"},
        // API answers are data: nothing in them may run, load or be framed, even if a browser
        // were talked into rendering one.
        {"Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'; sandbox"},
        {"Referrer-Policy", "no-referrer"},
        {"X-Frame-Options", "DENY"},
        {"Cross-Origin-Resource-Policy", "cross-origin"},
    };
    for (const auto& [name, value] : kHeaders) {
        const bool present = std::any_of(response.headers.begin(),
                                         response.headers.end(),
                                         [name = name](const auto& h) { return h.first == name; });
        if (!present) {
            response.headers.emplace_back(name, value);
        }
    }
}

HttpResponse Responder::document(const format::Document& doc,
                                 format::Format fmt,
                                 int status) const {
    HttpResponse r;
    r.status = status;
    r.content_type = format::content_type(fmt);
    r.body = fmt == format::Format::json ? format::write_json(doc, config_.profile)
                                         : format::write_xml(doc);
    return r;
}

HttpResponse Responder::public_requests(const std::vector<format::PublicRequestItem>& items,
                                        bool extensions,
                                        bool single,
                                        format::Format fmt) const {
    auto body = format::write_public_requests(fmt, items, extensions, single, config_.profile);
    if (body) {
        HttpResponse r;
        r.content_type = format::content_type(fmt);
        r.body = std::move(*body);
        return r;
    }
    auto list = nlohmann::ordered_json::array();
    for (const auto& item : items) {
        list.push_back(
            format::public_request(*item.request, *item.service_name, extensions, item.detail));
    }
    return document({"service_requests",
                     std::move(list),
                     single ? format::Shape::single_request : format::Shape::plain},
                    fmt);
}

HttpResponse Responder::public_features(const std::vector<format::PublicRequestItem>& items,
                                        bool extensions,
                                        bool single,
                                        const std::vector<format::GeoLink>& links) const {
    // Always as a JSON array (no profile's single-object shape), then read back: the
    // properties are exactly what the JSON answer says.
    const auto json = public_requests(items, extensions, false, format::Format::json);
    const auto objects = nlohmann::ordered_json::parse(json.body);
    HttpResponse r;
    r.content_type = format::kGeoJsonContentType;
    r.body = single && !objects.empty() ? format::feature_document(objects.front())
                                        : format::feature_collection(objects, links);
    return r;
}

HttpResponse Responder::error(format::Format fmt, const ApiError& error) const {
    return errors(fmt, {error});
}

HttpResponse Responder::errors(format::Format fmt, const std::vector<ApiError>& errors) const {
    std::vector<format::ErrorItem> items;
    items.reserve(errors.size());
    for (const auto& e : errors) {
        items.push_back({http_status(e.code), e.description});
    }
    const int status = errors.empty() ? 400 : http_status(errors.front().code);
    // Errors found by the transport (413, malformed HTTP) are built here too and get the same
    // headers as every other answer.
    auto r = document(format::errors_tree(items), fmt, status);
    add_security_headers(r);
    return r;
}

HttpResponse Responder::json(const nlohmann::ordered_json& body, int status) const {
    HttpResponse r;
    r.status = status;
    r.content_type = format::content_type(format::Format::json);
    r.body = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
    return r;
}

}  // namespace api
}  // namespace open311
