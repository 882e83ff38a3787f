#pragma once

#include "api/core/http_types.hpp"

#include <chrono>
#include <optional>

namespace open311::api {

/// What a mode of the server adds around the API without the API knowing it: routes of its
/// own, answers put in place of the API's, a look at every answer. `open311d sandbox` uses it
/// for its control API, its injected faults and its request journal; `serve` has none.
/// Called for every request from many threads at once (I/O threads for GET, HEAD and OPTIONS,
/// workers for the rest): implementations guard their own state.
class Extension {
public:
    Extension() = default;
    virtual ~Extension() = default;
    Extension(const Extension&) = delete;
    Extension& operator=(const Extension&) = delete;

    /// An answer to give instead of the API's, or nullopt to let the API answer. Runs before
    /// routing; it may also hold the request up for a while (an injected delay).
    virtual std::optional<HttpResponse> intercept(const HttpRequest& request) = 0;
    /// Sees every answer handle() gives (its own included), with the time it took.
    virtual void observe(const HttpRequest& request,
                         const HttpResponse& response,
                         std::chrono::microseconds took) = 0;
};

}  // namespace open311::api
