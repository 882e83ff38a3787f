#include "api/core/router.hpp"

#include "util/text.hpp"

#include <algorithm>

namespace open311::api {

std::vector<std::string> split_path(const std::string& path) {
    return split_nonempty(path, '/');
}

void Router::add(Method method, std::string pattern, Handler handler, std::optional<Role> role) {
    auto segments = split_path(pattern);
    routes_.push_back(
        Route{method, std::move(pattern), std::move(segments), std::move(handler), role});
}

std::optional<Router::Match> Router::match(Method method, const std::string& path) const {
    const auto segments = split_path(path);
    std::optional<Match> found;
    for (const auto& route : routes_) {
        if (route.segments.size() != segments.size()) {
            continue;
        }
        std::map<std::string, std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < segments.size() && ok; ++i) {
            const auto& want = route.segments[i];
            if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
                params[want.substr(1, want.size() - 2)] = segments[i];
            } else {
                ok = want == segments[i];
            }
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
            found->params = std::move(params);
            found->pattern = route.pattern;
            found->role = route.role;
        }
    }
    return found;
}

}  // namespace open311::api
