// The dashboard (issue 14, page 4): requests per state, per top-level service and per week
// for the last 12 weeks as server-drawn SVG bars (no chart library, no script), the median
// time from submission to publication and to closure, and the pending backlog.
#include "format/datetime.hpp"
#include "web/console.hpp"

#include <algorithm>

namespace open311::web {

namespace {

constexpr int kWeeks = 12;
constexpr Timestamp kWeek = 7 * 86400;
/// How many recent publications and closures the medians are taken over.
constexpr int kMedianSample = 500;
constexpr int kChartWidth = 360;  ///< the longest bar, in SVG units

std::string duration_text(Timestamp seconds) {
    if (seconds < 3600) {
        return std::to_string(std::max<Timestamp>(0, seconds / 60)) + " min";
    }
    if (seconds < 2 * 86400) {
        return std::to_string(seconds / 3600) + " h " + std::to_string(seconds % 3600 / 60) +
               " min";
    }
    return std::to_string(seconds / 86400) + " d " + std::to_string(seconds % 86400 / 3600) + " h";
}

std::optional<Timestamp> median(std::vector<Timestamp> values) {
    if (values.empty()) {
        return std::nullopt;
    }
    const auto middle = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

/// Whether an edit line's detail records a change of status to closed.
bool closes(const AuditEntry& line) {
    try {
        const auto detail = nlohmann::json::parse(line.detail);
        const auto after = detail.value("after", nlohmann::json::object());
        return after.is_object() && after.value("status", "") == "closed";
    } catch (const std::exception&) {
        return false;
    }
}

/// Monday 00:00 UTC of the week holding `t` (1970-01-01 was a Thursday).
Timestamp week_start(Timestamp t) {
    constexpr Timestamp kThursdayOffset = 3 * 86400;
    return (t + kThursdayOffset) / kWeek * kWeek - kThursdayOffset;
}

}  // namespace

api::HttpResponse Console::dashboard(Call& call) const {
    auto m = frame(call, "dashboard", "dashboard");
    const auto& t = m["t"];
    auto& store = s_.store;
    auto count = [&store](RequestFilter f) {
        f.limit = 1;
        return store.search_requests(f).total;
    };

    Json states = Json::array();
    for (auto state :
         {ModerationState::pending, ModerationState::published, ModerationState::rejected}) {
        RequestFilter f;
        f.states = {state};
        states.push_back({{"state", to_string(state)},
                          {"label", t[to_string(state)]},
                          {"count", std::to_string(count(f))}});
    }
    m["states"] = std::move(states);

    // Per top-level service: the service and everything below it.
    const auto catalogue = store.catalogue_snapshot();
    std::vector<std::pair<std::string, std::int64_t>> per_service;
    for (const auto& top : *catalogue) {
        if (top.level() != 1) {
            continue;
        }
        RequestFilter f;
        for (const auto& s : *catalogue) {
            if (s.code == top.code || s.code.rfind(top.code + ".", 0) == 0) {
                f.service_codes.push_back(s.code);
            }
        }
        per_service.emplace_back(top.translation(call.visitor.language, "en").name, count(f));
    }
    std::int64_t service_max = 1;
    for (const auto& [name, n] : per_service) {
        service_max = std::max(service_max, n);
    }
    Json services = Json::array();
    int row = 0;
    for (const auto& [name, n] : per_service) {
        const int y = row++ * 24;
        services.push_back({{"name", name},
                            {"count", std::to_string(n)},
                            {"y", std::to_string(y)},
                            {"ty", std::to_string(y + 14)},
                            {"w", std::to_string(n * kChartWidth / service_max)},
                            {"tx", std::to_string(225 + n * kChartWidth / service_max)}});
    }
    m["services"] = std::move(services);
    m["services_height"] = std::to_string(std::max(24, row * 24));

    // Per week, oldest first, the current week last.
    const Timestamp this_week = week_start(now());
    std::vector<std::pair<Timestamp, std::int64_t>> per_week;
    std::int64_t week_max = 1;
    for (int i = kWeeks - 1; i >= 0; --i) {
        RequestFilter f;
        f.requested_from = this_week - i * kWeek;
        f.requested_to = this_week - i * kWeek + kWeek - 1;
        per_week.emplace_back(*f.requested_from, count(f));
        week_max = std::max(week_max, per_week.back().second);
    }
    Json weeks = Json::array();
    constexpr int kBarsHeight = 160;
    int column = 0;
    for (const auto& [start, n] : per_week) {
        const auto h = n * kBarsHeight / week_max;
        const int x = column++ * 48;
        weeks.push_back({{"label", format::to_date(start).substr(5)},
                         {"start", format::to_date(start)},
                         {"count", std::to_string(n)},
                         {"x", std::to_string(x)},
                         {"tx", std::to_string(x + 20)},
                         {"y", std::to_string(kBarsHeight - h + 16)},
                         {"h", std::to_string(h)},
                         {"cy", std::to_string(kBarsHeight - h + 12)}});
    }
    m["weeks"] = std::move(weeks);

    // Medians over the most recent publications and closures in the audit trail.
    auto sample = [&](const std::string& action, bool only_closing) {
        AuditFilter f;
        f.action = action;
        f.limit = kMedianSample;
        std::vector<Timestamp> waits;
        for (const auto& line : store.search_audit(f)) {
            if (only_closing && !closes(line)) {
                continue;
            }
            if (auto r = store.find_request(line.request_id)) {
                waits.push_back(line.at - r->requested_at);
            }
        }
        const auto mid = median(std::move(waits));
        return mid ? duration_text(*mid) : std::string("–");
    };
    m["median_publish"] = sample("request.publish", false);
    m["median_close"] = sample("request.edit", true);

    RequestFilter oldest;
    oldest.states = {ModerationState::pending};
    oldest.order = RequestOrder::requested_asc;
    oldest.limit = 1;
    const auto pending = store.search_requests(oldest);
    m["pending_count"] = std::to_string(pending.total);
    m["oldest_pending"] = pending.items.empty()
                              ? std::string("–")
                              : duration_text(now() - pending.items.front().requested_at);
    return view_.page(200, "dashboard", std::move(m));
}

}  // namespace open311::web
