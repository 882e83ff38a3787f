// The parameters of GET initiatives, each checked and named in its error.
#include "initiatives/list_query.hpp"

#include <limits>

namespace open311::initiatives {
namespace {

/// A whole number ≥ 0 written with digits only; saturates instead of overflowing (a huge
/// offset is simply past the end). nullopt for anything else.
std::optional<std::int64_t> natural(std::string_view text) {
    if (text.empty()) {
        return std::nullopt;
    }
    constexpr std::int64_t kCap = std::numeric_limits<std::int64_t>::max() / 10 - 10;
    std::int64_t n = 0;
    for (char c : text) {
        if (c < '0' || c > '9') {
            return std::nullopt;
        }
        n = n >= kCap ? kCap : n * 10 + (c - '0');
    }
    return n;
}

}  // namespace

const std::vector<std::pair<std::string_view, InitiativeOrder>>& order_names() {
    static const std::vector<std::pair<std::string_view, InitiativeOrder>> kNames{
        {"oldestSent", InitiativeOrder::oldest_sent},
        {"latestSent", InitiativeOrder::latest_sent},
        {"id", InitiativeOrder::id},
        {"mostParticipants", InitiativeOrder::most_participants},
        {"leastParticipants", InitiativeOrder::least_participants},
        {"oldest", InitiativeOrder::oldest},
        {"latest", InitiativeOrder::latest},
    };
    return kNames;
}

ListQuery read_list_query(const form::Params& params, const Municipalities& municipalities) {
    ListQuery out;
    auto& q = out.query;
    q.limit = kDefaultLimit;
    auto value = [&](const char* name) -> std::optional<std::string> {
        auto v = params.get(name);
        if (v && v->empty()) {
            return std::nullopt;
        }
        return v;
    };
    if (auto v = value("offset")) {
        if (auto n = natural(*v)) {
            q.offset = *n;
        } else {
            out.errors.push_back({"offset", "expected a whole number 0 or more"});
        }
    }
    if (auto v = value("limit")) {
        if (auto n = natural(*v)) {
            q.limit = static_cast<int>(std::min<std::int64_t>(*n, kMaxLimit));
        } else {
            out.errors.push_back({"limit",
                                  "expected a whole number 0 or more (at most " +
                                      std::to_string(kMaxLimit) + " are returned)"});
        }
    }
    if (auto v = value("municipality")) {
        auto n = natural(*v);
        if (n && *n <= 999 && municipalities.find(static_cast<int>(*n)) != nullptr) {
            q.municipality = static_cast<int>(*n);
        } else {
            out.errors.push_back(
                {"municipality",
                 "expected the id of a municipality (see municipalities), e.g. 91 for Helsinki"});
        }
    }
    if (auto v = value("orderBy")) {
        bool found = false;
        std::string names;
        for (const auto& [name, order] : order_names()) {
            if (name == *v) {
                q.order = order;
                found = true;
            }
            names += (names.empty() ? "" : ", ") + std::string(name);
        }
        if (!found) {
            out.errors.push_back({"orderBy", "expected one of " + names});
        }
    }
    return out;
}

std::optional<std::int64_t> path_id(std::string_view text) {
    if (text.empty() || text.size() > 16 || text.front() == '0') {
        return std::nullopt;
    }
    auto n = natural(text);
    if (n && *n > kMaxInitiativeId) {
        return std::nullopt;
    }
    return n;
}

}  // namespace open311::initiatives
