#include "api/core/router.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace open311::api {

namespace {

/// The non-empty segments of a path, as views into it: matching a request allocates only this
/// small vector, and the parameters of the route that matches.
template <typename Segment>
std::vector<Segment> segments_of(std::string_view path) {
    std::vector<Segment> out;
    std::size_t start = 0;
    while (start <= path.size()) {
        const auto slash = std::min(path.find('/', start), path.size());
        if (slash > start) {
            out.emplace_back(path.substr(start, slash - start));
        }
        start = slash + 1;
    }
    return out;
}

bool is_parameter(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

}  // namespace

std::optional<format::Format> strip_format_suffix(std::string& path, bool* geojson) {
    auto ends_with = [&path](std::string_view suffix) {
        return path.size() > suffix.size() &&
               path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
               path[path.size() - suffix.size() - 1] != '/';
    };
    if (geojson != nullptr) {
        *geojson = false;
    }
    if (ends_with(".geojson")) {
        path.resize(path.size() - 8);
        if (geojson != nullptr) {
            *geojson = true;
        }
        return format::Format::json;  // GeoJSON is JSON: its errors are JSON documents
    }
    if (ends_with(".json")) {
        path.resize(path.size() - 5);
        return format::Format::json;
    }
    if (ends_with(".xml")) {
        path.resize(path.size() - 4);
        return format::Format::xml;
    }
    return std::nullopt;
}

namespace {

/// The highest quality an Accept header gives to each kind of answer (-1: not named).
struct AcceptWeights {
    double json = -1;
    double xml = -1;
    double geojson = -1;
};

AcceptWeights accept_weights(std::string_view accept) {
    AcceptWeights w;
    for (const auto& item : split_list(accept, ',')) {
        auto semicolon = item.find(';');
        auto type = to_lower(trim(item.substr(0, semicolon)));
        double q = 1.0;
        if (semicolon != std::string::npos) {
            auto qpos = item.find("q=", semicolon);
            if (qpos != std::string::npos) {
                auto end = item.find(';', qpos);
                q = parse_decimal(trim(item.substr(qpos + 2,
                                                   end == std::string::npos ? std::string::npos
                                                                            : end - qpos - 2)))
                        .value_or(0.0);
            }
        }
        if (type == "application/geo+json") {
            w.geojson = std::max(w.geojson, q);
        }
        if (type == "application/json" ||
            (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0)) {
            w.json = std::max(w.json, q);
        } else if (type == "text/xml" || type == "application/xml") {
            w.xml = std::max(w.xml, q);
        }
    }
    return w;
}

}  // namespace

format::Format negotiate_accept(std::string_view accept) {
    const auto w = accept_weights(accept);
    return w.json > 0 && w.json > w.xml ? format::Format::json : format::Format::xml;
}

bool prefers_geojson(std::string_view accept) {
    const auto w = accept_weights(accept);
    return w.geojson > 0 && w.geojson >= w.json && w.geojson > w.xml;
}

std::vector<std::string> split_path(const std::string& path) {
    return segments_of<std::string>(path);
}

void Router::add(Method method,
                 std::string pattern,
                 Handler handler,
                 std::optional<Role> role,
                 GeoJson geojson) {
    auto segments = split_path(pattern);
    routes_.push_back(Route{
        method, std::move(pattern), std::move(segments), std::move(handler), role, geojson, {}});
}

void Router::add_memory_answer(Method method, const std::string& pattern, MemoryAnswer answer) {
    for (auto& route : routes_) {
        if (route.method == method && route.pattern == pattern) {
            route.memory_answer = std::move(answer);
            return;
        }
    }
    throw std::logic_error("add_memory_answer: no route " + pattern);
}

void Router::add_loop_answer(Method method, const std::string& pattern) {
    for (auto& route : routes_) {
        if (route.method == method && route.pattern == pattern) {
            route.on_loop = true;
            return;
        }
    }
    throw std::logic_error("add_loop_answer: no route " + pattern);
}

std::vector<std::pair<Method, std::string>> Router::method_patterns() const {
    std::vector<std::pair<Method, std::string>> out;
    out.reserve(routes_.size());
    for (const auto& route : routes_) {
        out.emplace_back(route.method, route.pattern);
    }
    return out;
}

std::optional<Router::Match> Router::match(Method method, const std::string& path) const {
    const auto segments = segments_of<std::string_view>(path);
    std::optional<Match> found;
    for (std::size_t index = 0; index < routes_.size(); ++index) {
        const auto& route = routes_[index];
        if (route.segments.size() != segments.size()) {
            continue;
        }
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            ok = is_parameter(route.segments[i]) || route.segments[i] == segments[i];
        }
        if (!ok) {
            continue;
        }
        if (!found) {
            found = Match{};
        }
        if (std::find(found->allowed.begin(), found->allowed.end(), route.method) ==
            found->allowed.end()) {
            found->allowed.push_back(route.method);
        }
        const bool same =
            route.method == method || (method == Method::head && route.method == Method::get);
        if (same && found->handler == nullptr) {
            found->handler = &route.handler;
            found->memory_answer = route.memory_answer ? &route.memory_answer : nullptr;
            found->on_loop = route.on_loop;
            found->pattern = route.pattern;
            found->role = route.role;
            found->geojson = route.geojson == GeoJson::offered;
            found->index = index;
            for (std::size_t i = 0; i < segments.size(); ++i) {
                const auto& want = route.segments[i];
                if (is_parameter(want)) {
                    found->params[want.substr(1, want.size() - 2)] = std::string(segments[i]);
                }
            }
        }
    }
    return found;
}

std::vector<std::string> Router::patterns() const {
    std::vector<std::string> out;
    out.reserve(routes_.size());
    for (const auto& route : routes_) {
        out.push_back(route.pattern);
    }
    return out;
}

}  // namespace open311::api
