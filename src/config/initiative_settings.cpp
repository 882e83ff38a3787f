// [initiatives]: the municipal initiatives API (docs/initiatives.md).
#include "config/settings.hpp"

namespace open311::config {
namespace {

void apply_enabled(Config& c, const std::string& key, const std::string& value) {
    c.initiatives.enabled = parse_bool(key, value);
}

void apply_base_path(Config& c, const std::string& key, const std::string& value) {
    if (value.size() < 2 || value.front() != '/' || value.back() == '/') {
        invalid(key, value, "expected a path starting with '/' and not ending with '/'");
    }
    c.initiatives.base_path = value;
}

void apply_active(Config& c, const std::string& key, const std::string& value) {
    c.initiatives.active_municipalities.clear();
    for (const auto& item : parse_list(value)) {
        c.initiatives.active_municipalities.push_back(parse_integer<int>(key, item, 1, 999));
    }
}

}  // namespace

void add_initiative_settings(SettingTable& table) {
    using I = InitiativeSettings;
    const auto initiatives = &Config::initiatives;
    table.insert({
        {"initiatives.enabled", apply_enabled},
        {"initiatives.base_path", apply_base_path},
        {"initiatives.api_base_url", base_url(initiatives, &I::api_base_url)},
        {"initiatives.site_base_url", base_url(initiatives, &I::site_base_url)},
        {"initiatives.active_municipalities", apply_active},
    });
}

void check_initiative_settings(const Config& config) {
    if (!initiatives_enabled(config)) {
        return;  // a path of a module that is off overlaps nothing
    }
    const auto& path = config.initiatives.base_path;
    auto within = [](const std::string& a, const std::string& b) {
        return a == b ||
               (a.size() > b.size() && a.compare(0, b.size(), b) == 0 && a[b.size()] == '/');
    };
    // The initiatives are routed first: the Open311 API may not live at or below their base
    // path (its own paths never start with /v1, so "/api" beside "/api/v1" is fine). An empty
    // Open311 base path puts that API at the root, below every other path: also fine.
    const bool hides_open311 = !config.base_path.empty() && within(config.base_path, path);
    if (hides_open311 || within(path, "/admin") || within(path, "/media") ||
        within(path, "/staff") || path == "/healthz" || path == "/readyz") {
        throw ConfigError("invalid value for setting 'initiatives.base_path': '" + path +
                          "' would hide the Open311 API (" + config.base_path +
                          "), /admin, /staff or /media; choose a path of its own");
    }
}

}  // namespace open311::config
