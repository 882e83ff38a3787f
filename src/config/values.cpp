// Text → typed value for one setting, the same whatever the setting's origin (file,
// environment or flag), so that every source is validated alike.
#include "config/values.hpp"

#include "open311/config.hpp"

namespace open311::config {

void invalid(const std::string& key, const std::string& value, const std::string& why) {
    throw ConfigError("invalid value for setting '" + key + "': '" + value + "' (" + why + ")");
}

bool parse_bool(const std::string& key, const std::string& value) {
    if (value == "true" || value == "1" || value == "yes") {
        return true;
    }
    if (value == "false" || value == "0" || value == "no") {
        return false;
    }
    invalid(key, value, "expected true or false");
}

std::vector<std::string> parse_list(const std::string& value) {
    std::vector<std::string> out;
    std::string item;
    auto flush = [&] {
        auto first = item.find_first_not_of(" \t");
        auto last = item.find_last_not_of(" \t");
        if (first != std::string::npos) {
            out.push_back(item.substr(first, last - first + 1));
        }
        item.clear();
    };
    for (char c : value) {
        if (c == ',') {
            flush();
        } else {
            item += c;
        }
    }
    flush();
    return out;
}

std::vector<Choice<std::string>> names(std::initializer_list<std::string_view> names) {
    std::vector<Choice<std::string>> out;
    for (auto name : names) {
        out.push_back({name, std::string(name)});
    }
    return out;
}

}  // namespace open311::config
