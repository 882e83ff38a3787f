#pragma once

#include "api/core/context.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace open311::api {

class Handlers;
using Handler = std::function<HttpResponse(const RequestContext&)>;

/// Matches (method, path) against a table of patterns such as "/requests/{service_request_id}".
/// Path parameters match one whole segment, so dotted service codes stay intact.
class Router final {
public:
    void add(Method method, std::string pattern, Handler handler);

    struct Match {
        const Handler* handler = nullptr;           ///< null when only other methods match
        std::map<std::string, std::string> params;  ///< path parameters
        std::string pattern;
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
    };
    std::vector<Route> routes_;
};

/// Splits "/a/b/c" into {"a", "b", "c"}.
std::vector<std::string> split_path(const std::string& path);

/// The public routes (relative to the base path) and the staff routes (absolute).
void add_public_routes(Router& router, const Handlers& handlers);
void add_admin_routes(Router& router, const Handlers& handlers);
/// Uploaded media, served from the root ("/media/{name}"), beside the API's base path.
void add_media_routes(Router& router, const Handlers& handlers);

}  // namespace open311::api
