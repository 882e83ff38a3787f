// Configuration loading: defaults < profile < config file < OPEN311_* environment < flags.
// Every source is first flattened to "section.key" → text, so that one parser validates
// every value the same way whatever its origin, and an unknown key is caught in one place.
// The settings themselves and their rules live in one file per section (*_settings.cpp).
#include "config/settings.hpp"

#include "open311/config.hpp"

#include <toml++/toml.h>

#include <cctype>
#include <unistd.h>

extern char** environ;  // NOLINT: POSIX

namespace open311 {
namespace {

struct Setting {
    std::string value;
    std::string origin;  // where it came from, for error messages
};
using Settings = std::map<std::string, Setting>;

const config::SettingTable& appliers() {
    static const config::SettingTable table = [] {
        config::SettingTable t;
        config::add_server_settings(t);
        config::add_database_settings(t);
        config::add_api_settings(t);
        config::add_media_settings(t);
        config::add_mail_settings(t);
        config::add_limits_settings(t);
        config::add_moderation_settings(t);
        config::add_log_settings(t);
        config::add_initiative_settings(t);
        config::add_console_settings(t);
        config::add_metrics_settings(t);
        return t;
    }();
    return table;
}

std::string env_name(const std::string& key) {
    std::string out = "OPEN311_";
    for (char ch : key) {
        out += ch == '.' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    }
    return out;
}

std::string toml_scalar_text(const toml::node& node, const std::string& key) {
    if (auto s = node.value<std::string>(); s && node.is_string()) {
        return *s;
    }
    if (node.is_boolean()) {
        return *node.value<bool>() ? "true" : "false";
    }
    if (node.is_integer()) {
        return std::to_string(*node.value<std::int64_t>());
    }
    throw ConfigError("invalid value for setting '" + key +
                      "': expected a string, number or boolean");
}

void read_file(const std::string& path, Settings& out) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        throw ConfigError("cannot read config file '" + path +
                          "': " + std::string(e.description()));
    }
    for (const auto& [section, node] : root) {
        const auto* table = node.as_table();
        if (table == nullptr) {
            throw ConfigError("unknown setting '" + std::string(section.str()) + "' in " + path +
                              " (settings live in the sections [server], [database], [api], "
                              "[media], [mail], [limits], [moderation], [log], [initiatives], "
                              "[console], [metrics])");
        }
        for (const auto& [name, value] : *table) {
            std::string key = std::string(section.str()) + "." + std::string(name.str());
            std::string text;
            if (const auto* array = value.as_array()) {
                for (const auto& item : *array) {
                    text += (text.empty() ? "" : ",") + toml_scalar_text(item, key);
                }
            } else {
                text = toml_scalar_text(value, key);
            }
            out[key] = Setting{text, path};
        }
    }
}

void read_environment(const std::vector<std::string>& environment, Settings& out) {
    std::map<std::string, std::string> by_env_name;
    for (const auto& [key, applier] : appliers()) {
        by_env_name[env_name(key)] = key;
    }
    // Short names for the settings a container or a CI job sets most often.
    by_env_name["OPEN311_LISTEN"] = "server.listen";
    by_env_name["OPEN311_DB"] = "database.path";
    by_env_name["OPEN311_DB_PATH"] = "database.path";
    by_env_name["OPEN311_DATABASE_URL"] = "database.path";
    by_env_name["OPEN311_PROFILE"] = "api.profile";
    by_env_name["OPEN311_DEMO"] = "database.demo";
    by_env_name["OPEN311_LOG_LEVEL"] = "log.level";
    for (const auto& entry : environment) {
        auto eq = entry.find('=');
        if (entry.rfind("OPEN311_", 0) != 0 || eq == std::string::npos) {
            continue;
        }
        std::string name = entry.substr(0, eq);
        if (name == "OPEN311_CONFIG") {
            continue;  // the config file itself, read by load_config
        }
        auto it = by_env_name.find(name);
        if (it == by_env_name.end()) {
            throw ConfigError("unknown setting in environment variable '" + name + "'");
        }
        out[it->second] = Setting{entry.substr(eq + 1), "environment"};
    }
}

}  // namespace

std::vector<std::string> process_environment() {
    std::vector<std::string> out;
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        out.emplace_back(*e);
    }
    return out;
}

Config load_config(const std::optional<std::string>& file,
                   const std::vector<std::string>& environment,
                   const SettingOverrides& flags) {
    Settings settings;
    std::optional<std::string> config_file = file;
    if (!config_file) {
        for (const auto& entry : environment) {
            if (entry.rfind("OPEN311_CONFIG=", 0) == 0 && entry.size() > 15) {
                config_file = entry.substr(15);
            }
        }
    }
    if (config_file) {
        read_file(*config_file, settings);
    }
    read_environment(environment, settings);
    for (const auto& [key, value] : flags) {
        settings[key] = Setting{value, "command line"};
    }
    // A relay named on the command line alone (`serve --smtp HOST:PORT`) is a local one: it
    // gets a default sender. A relay named in a file or the environment names its own sender.
    if (flags.count("mail.host") != 0 && settings.count("mail.sender") == 0) {
        settings["mail.sender"] = Setting{std::string(kLocalRelaySender), "default for --smtp"};
    }
    for (const auto& [key, setting] : settings) {
        if (appliers().find(key) == appliers().end()) {
            throw ConfigError("unknown setting '" + key + "' (from " + setting.origin + ")");
        }
    }

    Config config;
    // The profile bundles defaults; any single setting given explicitly wins over it.
    if (auto it = settings.find("api.profile"); it != settings.end()) {
        auto profile = profile_by_name(it->second.value);
        if (!profile) {
            config::invalid("api.profile", it->second.value, "expected georeport-v2 or helsinki");
        }
        config.profile = *profile;
    }
    for (const auto& [key, setting] : settings) {
        appliers().at(key)(config, key, setting.value);
    }
    if (config.demo) {
        // A demo instance is a local one: a developer's client or test suite sends every POST
        // from one address with one key. Rate limits apply only when asked for.
        for (const char* key : {"limits.key_posts_per_minute", "limits.ip_posts_per_minute"}) {
            if (settings.count(key) == 0) {
                appliers().at(key)(config, key, "0");
            }
        }
    }
    config::check_api_settings(config);
    config::check_server_settings(config);
    config::check_mail_settings(config);
    config::check_initiative_settings(config);
    return config;
}

}  // namespace open311
