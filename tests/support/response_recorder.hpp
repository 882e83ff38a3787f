#pragma once
// Records every answer the integration tests receive, so that a last test step can check each
// one against the server's OpenAPI description (tests/openapi/validate_responses.py).

#include "support/http_client.hpp"

#include "open311/config.hpp"

#include <cstdint>
#include <string>

namespace open311::test {

/// Remembers what the server on `port` was configured with (profile, base paths), which the
/// validation needs to find the operation and the profile of an answer.
void register_server(std::uint16_t port, const Config& config);

/// Appends one answer to the file RESPONSE_LOG_FOR_OPENAPI names (nothing when it is unset), as a
/// JSON line: method, target, status, content type, the server's settings and the body (text
/// bodies up to 512 KiB).
void record_response(std::uint16_t port,
                     const std::string& method,
                     const std::string& target,
                     const Response& response);

}  // namespace open311::test
