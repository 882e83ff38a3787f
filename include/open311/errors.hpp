#pragma once

#include <string>

namespace open311 {

/// Protocol-neutral error kinds, client errors first. Mapped to HTTP in one place.
enum class ErrorCode {
    bad_request,          ///< 400: the client sent something invalid
    unauthorized,         ///< 401: no credentials on a staff route
    forbidden,            ///< 403: missing, wrong, revoked or expired key, or a role too low
    not_found,            ///< 404: no such resource, service, jurisdiction or token
    method_not_allowed,   ///< 405: the path exists for other methods
    conflict,             ///< 409: the state does not allow the action
    payload_too_large,    ///< 413: the body exceeds the configured limit
    too_many_requests,    ///< 429
    internal,             ///< 500: a fault of the server; details only in the log
    service_unavailable,  ///< 503: the server is at a configured limit; retry later
};

/// The HTTP status of an error kind.
int http_status(ErrorCode code);

/// One error for the client: the field or thing it concerns is named in `description`.
struct ApiError {
    ErrorCode code;
    std::string description;
};

/// A 400 about `field`: "field: problem".
inline ApiError field_error(const std::string& field, const std::string& problem) {
    return {ErrorCode::bad_request, field + ": " + problem};
}

}  // namespace open311
