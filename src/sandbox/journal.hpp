#pragma once

#include "api/core/http_types.hpp"

#include "open311/domain/time.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <mutex>
#include <string>
#include <vector>

namespace open311::sandbox {

/// One request the sandbox received. No values: the path without its query (which may hold
/// an api_key) and the names of the body's fields only.
struct JournalEntry {
    Timestamp at = 0;
    std::string method;
    std::string path;
    int status = 0;
    double duration_ms = 0;
    std::vector<std::string> fields;
};

/// The most recent requests, newest first on reading. Thread-safe.
class Journal final {
public:
    static constexpr std::size_t kCapacity = 1000;

    void record(const api::HttpRequest& request,
                const api::HttpResponse& response,
                std::chrono::microseconds took,
                Timestamp at);
    /// Up to `limit` entries, the newest first.
    std::vector<JournalEntry> recent(std::size_t limit) const;
    void clear();

private:
    mutable std::mutex mutex_;
    std::deque<JournalEntry> entries_;
};

/// The names of a body's fields, each once, in order: a JSON object's keys, an urlencoded or
/// multipart form's field names (files included).
std::vector<std::string> body_field_names(const api::HttpRequest& request);

}  // namespace open311::sandbox
