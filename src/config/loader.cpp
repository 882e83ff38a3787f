// Configuration loading: defaults < profile < config file < OPEN311_* environment < flags.
// Every source is first flattened to "section.key" → text, so that one parser validates
// every value the same way whatever its origin, and an unknown key is caught in one place.
#include "mail/message.hpp"
#include "util/ip_range.hpp"

#include "open311/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <unistd.h>

extern char** environ;  // NOLINT: POSIX

namespace open311 {
namespace {

struct Setting {
    std::string value;
    std::string origin;  // where it came from, for error messages
};
using Settings = std::map<std::string, Setting>;

using Applier = std::function<void(Config&, const std::string& key, const std::string& value)>;

[[noreturn]] void invalid(const std::string& key,
                          const std::string& value,
                          const std::string& why) {
    throw ConfigError("invalid value for setting '" + key + "': '" + value + "' (" + why + ")");
}

template <typename Int>
Int parse_integer(const std::string& key, const std::string& value, Int min, Int max) {
    Int out{};
    const auto* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, out);
    if (ec != std::errc{} || ptr != end || out < min || out > max) {
        invalid(
            key,
            value,
            "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return out;
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

std::string parse_choice(const std::string& key,
                         const std::string& value,
                         const std::vector<std::string>& choices) {
    if (std::find(choices.begin(), choices.end(), value) != choices.end()) {
        return value;
    }
    std::string list;
    for (const auto& c : choices) {
        list += (list.empty() ? "" : ", ") + c;
    }
    invalid(key, value, "expected one of " + list);
}

void apply_listen(Config& c, const std::string& key, const std::string& value) {
    auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        invalid(key, value, "expected HOST:PORT");
    }
    std::string host = value.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    c.listen_host = host;
    c.listen_port = parse_integer<std::uint16_t>(key, value.substr(colon + 1), 0, 65535);
}

const std::map<std::string, Applier>& appliers() {
    static const std::map<std::string, Applier> table = {
        {"server.listen", apply_listen},
        {"server.base_path",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && (v.front() != '/' || v.back() == '/')) {
                 invalid(
                     k, v, "expected a path starting with '/' and not ending with '/', or empty");
             }
             c.base_path = v;
         }},
        {"server.io_threads",
         [](Config& c, const std::string& k, const std::string& v) {
             c.io_threads = parse_integer<unsigned>(k, v, 1, 256);
         }},
        {"server.worker_threads",
         [](Config& c, const std::string& k, const std::string& v) {
             c.worker_threads = parse_integer<unsigned>(k, v, 1, 256);
         }},
        {"server.max_body_bytes",
         [](Config& c, const std::string& k, const std::string& v) {
             c.max_body_bytes = parse_integer<std::size_t>(k, v, 1024, std::size_t{1} << 32);
         }},
        {"server.max_multipart_bytes",
         [](Config& c, const std::string& k, const std::string& v) {
             c.max_multipart_bytes = parse_integer<std::size_t>(k, v, 1024, std::size_t{1} << 34);
         }},
        {"server.max_inflight_body_bytes",
         [](Config& c, const std::string& k, const std::string& v) {
             c.max_inflight_body_bytes =
                 parse_integer<std::size_t>(k, v, 1024 * 1024, std::size_t{1} << 36);
         }},
        {"server.max_header_bytes",
         [](Config& c, const std::string& k, const std::string& v) {
             c.max_header_bytes = parse_integer<std::size_t>(k, v, 1024, 1024 * 1024);
         }},
        {"server.header_timeout_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.header_timeout_seconds = parse_integer<unsigned>(k, v, 1, 3600);
         }},
        {"server.idle_timeout_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.idle_timeout_seconds = parse_integer<unsigned>(k, v, 1, 86400);
         }},
        {"server.max_connections",
         [](Config& c, const std::string& k, const std::string& v) {
             c.max_connections = parse_integer<std::size_t>(k, v, 1, 1000000);
         }},
        {"server.tls_certificate",
         [](Config& c, const std::string&, const std::string& v) { c.tls_certificate = v; }},
        {"server.tls_private_key",
         [](Config& c, const std::string&, const std::string& v) { c.tls_private_key = v; }},
        {"server.request_timeout_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.request_timeout_seconds = parse_integer<unsigned>(k, v, 1, 3600);
         }},
        {"server.upload_timeout_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.upload_timeout_seconds = parse_integer<unsigned>(k, v, 1, 86400);
         }},
        {"media.dir",
         [](Config& c, const std::string& k, const std::string& v) {
             if (v.empty()) {
                 invalid(k, v, "expected a directory path");
             }
             c.media_dir = v;
         }},
        {"media.max_files",
         [](Config& c, const std::string& k, const std::string& v) {
             c.media_max_files = parse_integer<std::size_t>(k, v, 0, 100);
         }},
        {"media.max_total_bytes",
         [](Config& c, const std::string& k, const std::string& v) {
             c.media_max_total_bytes = parse_integer<std::size_t>(k, v, 1, std::size_t{1} << 34);
         }},
        {"media.public_url",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
                 invalid(k, v, "expected an http:// or https:// URL");
             }
             c.media_public_url = v;
             while (!c.media_public_url.empty() && c.media_public_url.back() == '/') {
                 c.media_public_url.pop_back();
             }
         }},
        {"media.max_age_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.media_max_age_seconds = parse_integer<unsigned>(k, v, 0, 31536000);
         }},
        {"server.shutdown_grace_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.shutdown_grace_seconds = parse_integer<unsigned>(k, v, 0, 3600);
         }},
        {"server.cors_origins",
         [](Config& c, const std::string&, const std::string& v) {
             c.cors_origins = parse_list(v);
         }},
        {"server.public_url",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && v.rfind("http://", 0) != 0 && v.rfind("https://", 0) != 0) {
                 invalid(k, v, "expected an http:// or https:// URL");
             }
             c.public_url = v;
             while (!c.public_url.empty() && c.public_url.back() == '/') {
                 c.public_url.pop_back();
             }
         }},
        {"database.path",
         [](Config& c, const std::string& k, const std::string& v) {
             if (v.empty()) {
                 invalid(k, v, "expected a file path");
             }
             c.db_path = v;
         }},
        {"database.synchronous",
         [](Config& c, const std::string& k, const std::string& v) {
             c.db_synchronous = parse_choice(k, v, {"normal", "full"});
         }},
        {"database.demo",
         [](Config& c, const std::string& k, const std::string& v) {
             c.demo = parse_bool(k, v);
         }},
        {"limits.key_posts_per_minute",
         [](Config& c, const std::string& k, const std::string& v) {
             c.key_posts_per_minute = parse_integer<int>(k, v, 0, 1000000);
         }},
        {"limits.key_burst",
         [](Config& c, const std::string& k, const std::string& v) {
             c.key_burst = parse_integer<int>(k, v, 1, 1000000);
         }},
        {"limits.ip_posts_per_minute",
         [](Config& c, const std::string& k, const std::string& v) {
             c.ip_posts_per_minute = parse_integer<int>(k, v, 0, 1000000);
         }},
        {"limits.ip_burst",
         [](Config& c, const std::string& k, const std::string& v) {
             c.ip_burst = parse_integer<int>(k, v, 1, 1000000);
         }},
        {"limits.trusted_proxies",
         [](Config& c, const std::string& k, const std::string& v) {
             c.trusted_proxies = parse_list(v);
             for (const auto& p : c.trusted_proxies) {
                 if (!parse_ip_range(p)) {
                     invalid(k, p, "expected an IP address or a CIDR range such as 10.0.0.0/8");
                 }
             }
         }},
        {"limits.idempotency_ttl_hours",
         [](Config& c, const std::string& k, const std::string& v) {
             c.idempotency_ttl_hours = parse_integer<unsigned>(k, v, 1, 24 * 30);
         }},
        {"limits.usage_flush_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.usage_flush_seconds = parse_integer<unsigned>(k, v, 1, 3600);
         }},
        {"api.profile",
         [](Config&, const std::string&, const std::string&) { /* applied first, see below */ }},
        {"api.jurisdictions",
         [](Config& c, const std::string& k, const std::string& v) {
             c.jurisdictions = parse_list(v);
             if (c.jurisdictions.empty()) {
                 invalid(k, v, "expected at least one jurisdiction id");
             }
         }},
        {"api.default_locale",
         [](Config& c, const std::string& k, const std::string& v) {
             if (v.size() != 2) {
                 invalid(k, v, "expected a two-letter language code");
             }
             c.default_locale = v;
         }},
        {"api.locales",
         [](Config& c, const std::string& k, const std::string& v) {
             c.locales = parse_list(v);
             for (const auto& l : c.locales) {
                 if (l.size() != 2) {
                     invalid(k, v, "expected two-letter language codes");
                 }
             }
         }},
        {"api.contact",
         [](Config& c, const std::string&, const std::string& v) {
             c.contact = v;
         }},
        {"api.key_service",
         [](Config& c, const std::string&, const std::string& v) {
             c.key_service = v;
         }},
        {"api.environment",
         [](Config& c, const std::string& k, const std::string& v) {
             c.environment = parse_choice(k, v, {"production", "test"});
         }},
        {"api.max_results",
         [](Config& c, const std::string& k, const std::string& v) {
             c.profile.max_results = parse_integer<int>(k, v, 1, 100000);
         }},
        {"api.radius_unit",
         [](Config& c, const std::string& k, const std::string& v) {
             c.profile.radius_unit = parse_choice(k, v, {"metres", "kilometres"}) == "metres"
                                         ? RadiusUnit::metres
                                         : RadiusUnit::kilometres;
         }},
        {"api.pending_by_id",
         [](Config& c, const std::string& k, const std::string& v) {
             c.profile.pending_by_id = parse_choice(k, v, {"partial", "hidden"}) == "partial"
                                           ? PendingVisibility::partial
                                           : PendingVisibility::hidden;
         }},
        {"api.post_response_json",
         [](Config& c, const std::string& k, const std::string& v) {
             c.profile.post_response_json = parse_choice(k, v, {"array", "object"}) == "array"
                                                ? JsonShape::array
                                                : JsonShape::object;
         }},
        {"api.single_request_json",
         [](Config& c, const std::string& k, const std::string& v) {
             c.profile.single_request_json = parse_choice(k, v, {"array", "object"}) == "array"
                                                 ? JsonShape::array
                                                 : JsonShape::object;
         }},
        {"api.description_required",
         [](Config& c, const std::string& k, const std::string& v) {
             c.profile.description_required = parse_bool(k, v);
         }},
        {"api.description_min_length",
         [](Config& c, const std::string& k, const std::string& v) {
             c.profile.description_min_length = parse_integer<int>(k, v, 0, 100000);
         }},
        {"api.description_max_length",
         [](Config& c, const std::string& k, const std::string& v) {
             c.profile.description_max_length = parse_integer<int>(k, v, 1, 100000);
         }},
        {"api.location_fields",
         [](Config& c, const std::string& k, const std::string& v) {
             // lat+long and service_object_id(+type) are always accepted; this adds the others.
             c.profile.accept_address_string = false;
             c.profile.accept_address_id = false;
             for (const auto& item : parse_list(v)) {
                 auto f = parse_choice(
                     k, item, {"lat_long", "service_object", "address_string", "address_id"});
                 c.profile.accept_address_string |= f == "address_string";
                 c.profile.accept_address_id |= f == "address_id";
             }
         }},
        {"api.moderate_client_updates",
         [](Config& c, const std::string& k, const std::string& v) {
             c.moderate_client_updates = parse_bool(k, v);
         }},
        {"api.update_statuses",
         [](Config& c, const std::string& k, const std::string& v) {
             c.extended_update_statuses = parse_choice(k, v, {"extended", "basic"}) == "extended";
         }},
        {"mail.templates_dir",
         [](Config& c, const std::string&, const std::string& v) {
             c.mail_templates_dir = v;
         }},
        {"mail.host",
         [](Config& c, const std::string& k, const std::string& v) {
             if (v.find_first_of(" \t\r\n/:") != std::string::npos &&
                 !(v.front() == '[' && v.back() == ']')) {
                 invalid(k, v, "expected a host name or IP address");
             }
             c.mail.host = v.size() > 2 && v.front() == '[' ? v.substr(1, v.size() - 2) : v;
         }},
        {"mail.port",
         [](Config& c, const std::string& k, const std::string& v) {
             c.mail.port = parse_integer<std::uint16_t>(k, v, 1, 65535);
         }},
        {"mail.sender",
         [](Config& c, const std::string& k, const std::string& v) {
             if (!v.empty() && !mail::is_valid_address(v)) {
                 invalid(k, v, "expected a bare e-mail address such as noreply@example.org");
             }
             c.mail.sender = v;
         }},
        {"mail.helo_name",
         [](Config& c, const std::string& k, const std::string& v) {
             if (v.find_first_of(" \t\r\n") != std::string::npos) {
                 invalid(k, v, "expected a host name");
             }
             c.mail.helo_name = v;
         }},
        {"mail.starttls",
         [](Config& c, const std::string& k, const std::string& v) {
             auto mode = parse_choice(k, v, {"required", "opportunistic", "off"});
             c.mail.starttls = mode == "required"        ? StartTls::required
                               : mode == "opportunistic" ? StartTls::opportunistic
                                                         : StartTls::off;
         }},
        {"mail.tls_verify",
         [](Config& c, const std::string& k, const std::string& v) {
             c.mail.tls_verify = parse_bool(k, v);
         }},
        {"mail.ca_file",
         [](Config& c, const std::string&, const std::string& v) {
             c.mail.ca_file = v;
         }},
        {"mail.username",
         [](Config& c, const std::string& k, const std::string& v) {
             if (v.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
                 invalid(k, "…", "line breaks are not allowed");
             }
             c.mail.username = v;
         }},
        {"mail.password",
         [](Config& c, const std::string& k, const std::string& v) {
             if (v.find_first_of(std::string("\r\n\0", 3)) != std::string::npos) {
                 invalid(k, "…", "line breaks are not allowed");  // never echo a password
             }
             c.mail.password = v;
         }},
        {"mail.auth_without_tls",
         [](Config& c, const std::string& k, const std::string& v) {
             c.mail.auth_without_tls = parse_bool(k, v);
         }},
        {"mail.timeout_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.mail.timeout = std::chrono::seconds(parse_integer<int>(k, v, 1, 600));
         }},
        {"mail.poll_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.mail.poll_interval = std::chrono::seconds(parse_integer<int>(k, v, 1, 3600));
         }},
        {"mail.retry_initial_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.mail.retry_initial = std::chrono::seconds(parse_integer<int>(k, v, 1, 86400));
         }},
        {"mail.retry_max_seconds",
         [](Config& c, const std::string& k, const std::string& v) {
             c.mail.retry_max = std::chrono::seconds(parse_integer<int>(k, v, 1, 7 * 86400));
         }},
        {"mail.max_attempts",
         [](Config& c, const std::string& k, const std::string& v) {
             c.mail.max_attempts = parse_integer<int>(k, v, 1, 1000);
         }},
        {"log.level",
         [](Config& c, const std::string& k, const std::string& v) {
             c.log_level =
                 parse_choice(k, v, {"trace", "debug", "info", "warn", "error", "critical", "off"});
         }},
        {"log.access_log",
         [](Config& c, const std::string& k, const std::string& v) {
             c.access_log = parse_bool(k, v);
         }},
    };
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
                              "[media], [mail], [limits], [log])");
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
            invalid("api.profile", it->second.value, "expected georeport-v2 or helsinki");
        }
        config.profile = *profile;
    }
    for (const auto& [key, setting] : settings) {
        appliers().at(key)(config, key, setting.value);
    }
    if (config.profile.description_min_length > config.profile.description_max_length) {
        throw ConfigError(
            "invalid value for setting 'api.description_min_length': larger than "
            "api.description_max_length");
    }
    if (config.tls_certificate.empty() != config.tls_private_key.empty()) {
        throw ConfigError(config.tls_certificate.empty()
                              ? "missing setting 'server.tls_certificate': required with "
                                "server.tls_private_key"
                              : "missing setting 'server.tls_private_key': required with "
                                "server.tls_certificate");
    }
    if (!config.mail.host.empty() && config.mail.sender.empty()) {
        throw ConfigError("missing setting 'mail.sender': required when mail.host is set");
    }
    if (config.mail.retry_initial > config.mail.retry_max) {
        throw ConfigError(
            "invalid value for setting 'mail.retry_initial_seconds': larger than "
            "mail.retry_max_seconds");
    }
    if (std::find(config.locales.begin(), config.locales.end(), config.default_locale) ==
        config.locales.end()) {
        config.locales.push_back(config.default_locale);
    }
    return config;
}

}  // namespace open311
