// The mapping between open/closed, Helsinki detailed statuses and FixMyStreet extended states.
#include "open311/domain/status_map.hpp"

#include "util/text.hpp"

#include <algorithm>
#include <array>

namespace open311 {
namespace {

struct MainValue {
    std::string_view name;
    const char* status;
};

constexpr std::array<MainValue, 5> kMainValues{{
    {"RECEIVED", "open"},
    {"IN_PROCESS", "open"},
    {"PROCESSED", "closed"},
    {"ARCHIVED", "closed"},
    {"REJECTED", "closed"},
}};

std::string normalise(std::string_view name) {
    std::string out;
    out.reserve(name.size());
    for (char c : name) {
        if (c == ' ' || c == '-') {
            out += '_';
        } else if (c >= 'A' && c <= 'Z') {
            out += static_cast<char>(c - 'A' + 'a');
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace

bool is_main_detailed_status(std::string_view value) {
    return std::any_of(kMainValues.begin(), kMainValues.end(), [value](const MainValue& m) {
        return m.name == value;
    });
}

const char* status_implied_by(std::string_view main_value) {
    for (const auto& m : kMainValues) {
        if (m.name == main_value) {
            return m.status;
        }
    }
    return "open";
}

std::vector<std::string> split_detailed_status(const std::string& list) {
    return split_nonempty(list, ',');
}

std::string join_detailed_status(const std::vector<std::string>& values) {
    std::string out;
    for (const auto& v : values) {
        out += (out.empty() ? "" : ",") + v;
    }
    return out;
}

const std::vector<ExternalStatus>& external_statuses() {
    static const std::vector<ExternalStatus> kStates = {
        {"open", "open", "RECEIVED"},
        {"investigating", "open", "IN_PROCESS"},
        {"in_progress", "open", "IN_PROCESS"},
        {"action_scheduled", "open", "IN_PROCESS"},
        {"fixed", "closed", "PROCESSED"},
        {"closed", "closed", "PROCESSED"},
        {"no_further_action", "closed", "PROCESSED"},
        {"internal_referral", "closed", "PROCESSED"},
        {"not_councils_responsibility", "closed", "REJECTED"},
        {"duplicate", "closed", "REJECTED"},
    };
    return kStates;
}

const ExternalStatus* find_external_status(std::string_view name) {
    const std::string key = normalise(name);
    for (const auto& s : external_statuses()) {
        if (key == s.name) {
            return &s;
        }
    }
    return nullptr;
}

std::string external_status_for(std::string_view status, const std::string& detailed_list) {
    const auto values = split_detailed_status(detailed_list);
    auto has = [&values](std::string_view v) {
        return std::find(values.begin(), values.end(), v) != values.end();
    };
    if (status == "closed") {
        if (has("REJECTED")) {
            return "not_councils_responsibility";
        }
        if (has("PUBLIC_WORKS_COMPLETED_REQUIRES_NO_ACTION") || has("PUBLIC_WORKS_INTERRUPTED")) {
            return "no_further_action";
        }
        if (has("ARCHIVED")) {
            return "closed";
        }
        return "fixed";
    }
    if (has("PUBLIC_WORKS_COMPLETED_SCHEDULED_LATER")) {
        return "action_scheduled";
    }
    if (has("IN_PROCESS") || has("PUBLIC_WORKS_IN_PROGRESS")) {
        return "in_progress";
    }
    return "open";
}

std::string align_detailed_status(const std::string& detailed_list, std::string_view status) {
    auto values = split_detailed_status(detailed_list);
    auto main = std::find_if(values.begin(), values.end(), [](const std::string& v) {
        return is_main_detailed_status(v);
    });
    if (main != values.end() && status == status_implied_by(*main)) {
        return detailed_list;
    }
    const std::string replacement = status == "closed" ? "PROCESSED" : "IN_PROCESS";
    if (main != values.end()) {
        *main = replacement;
    } else {
        values.insert(values.begin(), replacement);
    }
    return join_detailed_status(values);
}

}  // namespace open311
