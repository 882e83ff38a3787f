#pragma once

#include "api/core/context.hpp"
#include "format/document.hpp"

#include "open311/domain/api_key.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace open311::api {

using Handler = std::function<HttpResponse(const RequestContext&)>;
/// A route's answer when it can be given from memory alone (a cached answer, a document that
/// needs no database); nullopt when the handler must ask the store.
using MemoryAnswer = std::function<std::optional<HttpResponse>(const RequestContext&)>;

/// Whether a route also answers as GeoJSON (`.geojson`, `Accept: application/geo+json`).
enum class GeoJson { not_offered, offered };

/// Matches (method, path) against a table of patterns such as "/requests/{service_request_id}".
/// Path parameters match one whole segment, so dotted service codes stay intact.
class Router final {
public:
    /// Adds a route; `role`, when set, is the least role a bearer key needs to reach it. It is
    /// checked once, before the handler runs, and the key's name becomes the context's actor.
    void add(Method method,
             std::string pattern,
             Handler handler,
             std::optional<Role> role = std::nullopt,
             GeoJson geojson = GeoJson::not_offered);

    /// Gives the route (method, pattern), added before, an answer from memory: on a store
    /// whose reads wait on the network, the transport tries it on its I/O thread and runs the
    /// handler on the worker pool only when it gives none.
    void add_memory_answer(Method method, const std::string& pattern, MemoryAnswer answer);
    /// Marks the route (method, pattern), added before, as one whose handler can answer on an
    /// I/O thread without waiting there (RequestContext::loop): on a store whose reads block,
    /// the transport runs it on its I/O thread instead of handing it to a worker and back.
    void add_loop_answer(Method method, const std::string& pattern);

    struct Match {
        const Handler* handler = nullptr;             ///< null when only other methods match
        const MemoryAnswer* memory_answer = nullptr;  ///< the handler's answer from memory
        bool on_loop = false;                         ///< add_loop_answer
        std::map<std::string, std::string> params;    ///< path parameters
        std::string pattern;
        std::optional<Role> role;     ///< the least role the route needs (none: public)
        std::vector<Method> allowed;  ///< methods that would match this path
        bool geojson = false;         ///< the matched route answers as GeoJSON too
        std::size_t index = 0;        ///< the matched route's place in the table (patterns())
    };
    /// nullopt when no route has this path at all.
    std::optional<Match> match(Method method, const std::string& path) const;
    /// The pattern of every route, in the order they were added (Match::index).
    std::vector<std::string> patterns() const;

    /// Every route's method and pattern, in the order they were added (for the OpenAPI
    /// document's test, which must list exactly these).
    std::vector<std::pair<Method, std::string>> method_patterns() const;

private:
    struct Route {
        Method method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
        std::optional<Role> role;
        GeoJson geojson;
        MemoryAnswer memory_answer;  ///< may be empty
        bool on_loop = false;
    };
    std::vector<Route> routes_;
};

// Negotiation: which format an answer takes (a final suffix wins over Accept).

/// Removes a final ".json", ".xml" or ".geojson" from `path` and returns its format (JSON for
/// ".geojson", which sets `*geojson`). Only the last suffix counts:
/// "/services/2806.10.2.2.json" → "/services/2806.10.2.2", json.
std::optional<format::Format> strip_format_suffix(std::string& path, bool* geojson = nullptr);

/// The format an Accept header prefers; XML when it says nothing useful (GeoReport v2:
/// XML is the required format).
format::Format negotiate_accept(std::string_view accept);

/// Whether an Accept header prefers GeoJSON (`application/geo+json`) to JSON and XML.
bool prefers_geojson(std::string_view accept);

/// Splits "/a/b/c" into {"a", "b", "c"}.
std::vector<std::string> split_path(const std::string& path);

}  // namespace open311::api
