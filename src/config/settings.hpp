#pragma once

#include "config/values.hpp"

#include "open311/config.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace open311::config {

/// Applies one setting's text to the configuration; throws ConfigError naming the key.
using Applier = std::function<void(Config&, const std::string& key, const std::string& value)>;
/// Every known setting, by its "section.key" name.
using SettingTable = std::map<std::string, Applier>;

// One file per section adds its settings and checks the rules that join them.
void add_server_settings(SettingTable& table);
void add_database_settings(SettingTable& table);
void add_api_settings(SettingTable& table);
void add_media_settings(SettingTable& table);
void add_mail_settings(SettingTable& table);
void add_limits_settings(SettingTable& table);
void add_moderation_settings(SettingTable& table);
void add_log_settings(SettingTable& table);
void add_initiative_settings(SettingTable& table);
void add_console_settings(SettingTable& table);
void add_metrics_settings(SettingTable& table);
/// Rules between settings of a section, once every setting is applied.
void check_server_settings(const Config& config);
void check_api_settings(Config& config);
void check_mail_settings(const Config& config);
void check_initiative_settings(const Config& config);

// Appliers for the common kinds of setting. Each stores its value at `path`: a member of
// Config, or a member of one of its members (&Config::mail, &MailSettings::port).

/// The member of `config` that `path` leads to.
template <typename... Path>
auto& member(Config& config, Path... path) {
    return (config.*....*path);
}

template <typename Int, typename... Path>
Applier whole_number(Int min, Int max, Path... path) {
    return [=](Config& c, const std::string& k, const std::string& v) {
        member(c, path...) = parse_integer<Int>(k, v, min, max);
    };
}

/// A whole number of seconds, stored as whatever duration the member is.
template <typename... Path>
Applier seconds(int min, int max, Path... path) {
    return [=](Config& c, const std::string& k, const std::string& v) {
        member(c, path...) = std::chrono::seconds(parse_integer<int>(k, v, min, max));
    };
}

template <typename... Path>
Applier flag(Path... path) {
    return [=](Config& c, const std::string& k, const std::string& v) {
        member(c, path...) = parse_bool(k, v);
    };
}

/// Any text, taken as given.
template <typename... Path>
Applier text(Path... path) {
    return [=](Config& c, const std::string&, const std::string& v) {
        member(c, path...) = v;
    };
}

/// A path to a file or directory; empty is an error saying `expected`.
template <typename... Path>
Applier path_text(const char* expected, Path... path) {
    return [=](Config& c, const std::string& k, const std::string& v) {
        if (v.empty()) {
            invalid(k, v, expected);
        }
        member(c, path...) = v;
    };
}

template <typename... Path>
Applier list(Path... path) {
    return [=](Config& c, const std::string&, const std::string& v) {
        member(c, path...) = parse_list(v);
    };
}

/// An enumerated setting: one of `choices`, stored as the value its name stands for.
template <typename T, typename... Path>
Applier one_of(std::vector<Choice<T>> choices, Path... path) {
    return [choices = std::move(choices), path...](
               Config& c, const std::string& k, const std::string& v) {
        member(c, path...) = parse_choice(k, v, choices);
    };
}

/// An http:// or https:// base URL, or empty; kept without its trailing slashes so that
/// paths can be appended.
template <typename... Path>
Applier base_url(Path... path) {
    return [=](Config& c, const std::string& k, const std::string& v) {
        if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
            invalid(k, v, "expected an http:// or https:// URL");
        }
        auto& url = member(c, path...);
        url = v;
        while (!url.empty() && url.back() == '/') {
            url.pop_back();
        }
    };
}

}  // namespace open311::config
