#pragma once

#include "open311/config.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace open311::telemetry {

/// Sets up spdlog for a server or a command: one line per event on stderr at `level`, as text
/// or as JSON objects (`format`), and the access log's writer, which writes its lines in
/// batches from a background thread so that an answer never waits for the log (lines beyond
/// what it holds are dropped rather than slowing the server down; access_log_writer.hpp).
void setup_logging(const std::string& level, LogFormat format);
/// Writes every queued line and stops the background thread; call it before exiting.
void shutdown_logging();

/// The format set up (text until setup_logging says otherwise).
LogFormat log_format();

/// Whether the access log writes the answer with this status: log.access keeps every error
/// (status 400 and above), and the other answers with the configured probability.
bool access_log_wants(const Config& config, int status);

/// One access line: the route pattern (never the raw target: a query may carry api_key),
/// method, status, bytes and duration, with the request id.
void log_access(std::string_view request_id,
                std::string_view method,
                std::string_view route,
                int status,
                std::uint64_t bytes,
                std::uint64_t duration_us);

/// While it lives, every log line written on this thread carries `request_id` (JSON logs: a
/// "request_id" field): the lines a request causes, deep in the workflow or the store, are
/// found by the id its answer carried.
class RequestLogScope final {
public:
    explicit RequestLogScope(const std::string& request_id);
    ~RequestLogScope();
    RequestLogScope(const RequestLogScope&) = delete;
    RequestLogScope& operator=(const RequestLogScope&) = delete;

private:
    const std::string* previous_;
};

/// `text` as the inside of a JSON string: quotes, backslashes and control characters escaped,
/// bytes that are not UTF-8 replaced by U+FFFD.
void append_json_string(std::string& out, std::string_view text);

}  // namespace open311::telemetry
