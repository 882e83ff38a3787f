// The body of a staff edit (PATCH /admin/v1/requests/{id}): each field checked and named.
#include "validate/request_edit.hpp"

#include "format/datetime.hpp"
#include "util/text.hpp"
#include "validate/fields.hpp"
#include "validate/new_request.hpp"

#include "open311/domain/status_map.hpp"

#include <algorithm>
#include <set>

namespace open311::validate {
namespace {

using nlohmann::json;

/// A text field: a JSON string, valid UTF-8 without control characters (line breaks are
/// allowed where `multiline`), trimmed, at most `max` characters.
std::optional<std::string> text(const json& value,
                                const std::string& name,
                                std::size_t max,
                                bool multiline,
                                bool forbid_html,
                                std::vector<ApiError>& errors) {
    if (!value.is_string()) {
        errors.push_back(bad(name + ": expected a string"));
        return std::nullopt;
    }
    const auto& raw = value.get_ref<const std::string&>();
    auto length = utf8_length(raw);
    if (!length) {
        errors.push_back(bad(name + ": not valid UTF-8 text"));
        return std::nullopt;
    }
    if (contains_control(raw) || (!multiline && raw.find_first_of("\r\n") != std::string::npos)) {
        errors.push_back(bad(name + ": control characters are not allowed"));
        return std::nullopt;
    }
    auto trimmed = trim(raw);
    if (utf8_length(trimmed).value_or(0) > max) {
        errors.push_back(bad(name + ": at most " + std::to_string(max) + " characters allowed"));
        return std::nullopt;
    }
    if (forbid_html && contains_html(trimmed)) {
        errors.push_back(bad(name + ": HTML or other markup is not allowed"));
        return std::nullopt;
    }
    return trimmed;
}

std::optional<std::vector<std::string>> detailed_list(const json& value,
                                                      std::vector<ApiError>& errors) {
    std::vector<std::string> items;
    if (value.is_string()) {
        items = split_list(value.get<std::string>());
    } else if (value.is_array()) {
        for (const auto& item : value) {
            if (!item.is_string()) {
                errors.push_back(bad("detailed_status: expected a list of strings"));
                return std::nullopt;
            }
            items.push_back(trim(item.get<std::string>()));
        }
    } else {
        errors.push_back(bad("detailed_status: expected a list of strings"));
        return std::nullopt;
    }
    const auto& known = detailed_status_values();
    std::vector<std::string> out;
    int main_values = 0;
    for (const auto& item : items) {
        if (item.empty()) {
            continue;
        }
        if (std::find(known.begin(), known.end(), item) == known.end()) {
            errors.push_back(bad("detailed_status: unknown value '" + shorten(item, 60) +
                                 "'; expected RECEIVED, IN_PROCESS, PROCESSED, ARCHIVED, "
                                 "REJECTED or a PUBLIC_WORKS_* value"));
            return std::nullopt;
        }
        if (std::find(out.begin(), out.end(), item) != out.end()) {
            continue;
        }
        main_values += is_main_detailed_status(item) ? 1 : 0;
        out.push_back(item);
    }
    if (main_values > 1) {
        errors.push_back(bad(
            "detailed_status: at most one of RECEIVED, IN_PROCESS, PROCESSED, ARCHIVED, REJECTED"));
        return std::nullopt;
    }
    // The main value first, as the Helsinki examples write it ("IN_PROCESS,PUBLIC_WORKS_NEW").
    std::stable_partition(
        out.begin(), out.end(), [](const std::string& v) { return is_main_detailed_status(v); });
    return out;
}

}  // namespace

RequestEdit read_request_edit(const json& body,
                              const Profile& profile,
                              std::vector<ApiError>& errors) {
    RequestEdit edit;
    if (!body.is_object()) {
        errors.push_back(bad("body: expected a JSON object"));
        return edit;
    }
    const std::size_t max_description =
        static_cast<std::size_t>(std::max(profile.description_max_length, 1));
    for (const auto& [name, value] : body.items()) {
        if (name == "status") {
            if (auto s = text(value, name, 16, false, false, errors)) {
                auto lower = to_lower(*s);
                if (lower != "open" && lower != "closed") {
                    errors.push_back(bad("status: expected open or closed"));
                } else {
                    edit.status = lower;
                }
            }
        } else if (name == "detailed_status") {
            edit.detailed_status = detailed_list(value, errors);
        } else if (name == "status_notes") {
            edit.status_notes = text(value, name, 5000, true, true, errors);
        } else if (name == "agency_responsible") {
            edit.agency_responsible = text(value, name, 200, false, true, errors);
        } else if (name == "service_notice") {
            edit.service_notice = text(value, name, 1000, true, true, errors);
        } else if (name == "expected_datetime") {
            if (value.is_null()) {
                edit.expected_at = std::optional<Timestamp>{};
            } else if (auto s = text(value, name, 64, false, false, errors)) {
                if (auto t = format::parse_w3c(*s)) {
                    edit.expected_at = std::optional<Timestamp>{*t};
                } else {
                    errors.push_back(bad(
                        "expected_datetime: expected a W3C datetime such as 2026-05-01T12:00:00Z, "
                        "or null"));
                }
            }
        } else if (name == "title") {
            edit.title = text(value, name, 100, false, true, errors);
        } else if (name == "description") {
            edit.description = text(value, name, max_description, true, true, errors);
            if (edit.description && edit.description->empty()) {
                errors.push_back(bad("description: must not be empty"));
            }
        } else if (name == "address" || name == "address_string") {
            edit.address = text(value, name, kMaxAddress, false, true, errors);
        } else if (name == "version") {
            if (!value.is_number_integer()) {
                errors.push_back(bad("version: expected an integer"));
            } else {
                edit.version = value.get<std::int64_t>();
            }
        } else {
            errors.push_back(bad(name +
                                 ": unknown field; expected status, detailed_status, status_notes, "
                                 "agency_responsible, service_notice, expected_datetime, title, "
                                 "description, address or version"));
        }
    }
    return edit;
}

std::optional<std::int64_t> version_from_if_match(const std::string& header, bool& malformed) {
    malformed = false;
    auto value = trim(header);
    if (value.empty() || value == "*") {
        return std::nullopt;
    }
    if (value.rfind("W/", 0) == 0) {
        value = value.substr(2);
    }
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
        value = value.substr(1, value.size() - 2);
    }
    auto number = parse_integer(value);
    if (!number || *number < 0) {
        malformed = true;
        return std::nullopt;
    }
    return *number;
}

}  // namespace open311::validate
