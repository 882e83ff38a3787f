#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace open311::sandbox {

/// An injected fault: the next `times` requests that match get `status` (0: the API's own
/// answer) after `delay_ms`.
struct Fault {
    std::string method;  ///< "POST"; "*" or empty: any method
    std::string path;    ///< "/requests", relative to the API base path; '*' matches any text
    int status = 0;
    int times = 1;
    int delay_ms = 0;
    int applied = 0;  ///< how many requests it has answered so far
};

/// The faults waiting to be applied, in the order they were added; the first that matches a
/// request applies. Thread-safe.
class Faults final {
public:
    explicit Faults(std::string base_path) : base_path_(std::move(base_path)) {}

    void add(Fault fault);
    void clear();
    std::vector<Fault> list() const;
    /// The fault that applies to this request (counted as applied; removed once it has
    /// applied `times` times), or nullopt.
    std::optional<Fault> take(std::string_view method, std::string_view target);

    /// "POST /requests" → method and path; false when it is not of that form.
    static bool parse_match(std::string_view text, Fault& out);

private:
    /// A request path or a fault's path, without the base path and without a final .json or
    /// .xml, so that "/requests" matches "/open311/v2/requests.json".
    std::string normalise(std::string_view path) const;

    std::string base_path_;
    mutable std::mutex mutex_;
    std::vector<Fault> faults_;
};

}  // namespace open311::sandbox
