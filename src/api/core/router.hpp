#pragma once

#include "api/core/context.hpp"

#include "open311/domain/api_key.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace open311::api {

using Handler = std::function<HttpResponse(const RequestContext&)>;

/// Matches (method, path) against a table of patterns such as "/requests/{service_request_id}".
/// Path parameters match one whole segment, so dotted service codes stay intact.
class Router final {
public:
    /// Adds a route; `role`, when set, is the least role a bearer key needs to reach it. It is
    /// checked once, before the handler runs, and the key's name becomes the context's actor.
    void add(Method method,
             std::string pattern,
             Handler handler,
             std::optional<Role> role = std::nullopt);

    struct Match {
        const Handler* handler = nullptr;           ///< null when only other methods match
        std::map<std::string, std::string> params;  ///< path parameters
        std::string pattern;
        std::optional<Role> role;     ///< the least role the route needs (none: public)
        std::vector<Method> allowed;  ///< methods that would match this path
    };
    /// nullopt when no route has this path at all.
    std::optional<Match> match(Method method, const std::string& path) const;

private:
    struct Route {
        Method method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        std::optional<Role> role;
    };
    std::vector<Route> routes_;
};

/// Splits "/a/b/c" into {"a", "b", "c"}.
std::vector<std::string> split_path(const std::string& path);

}  // namespace open311::api
