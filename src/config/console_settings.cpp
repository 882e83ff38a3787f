// [console]: the staff console's switch, session lifetimes, sign-in throttling and map tiles.
#include "config/settings.hpp"

namespace open311::config {

namespace {

void apply_tile_url(Config& c, const std::string& key, const std::string& value) {
    // Leaflet's template: an https (or http, for a city intranet) URL with {z}, {x} and {y}.
    const bool web = value.rfind("https://", 0) == 0 || value.rfind("http://", 0) == 0;
    if (!web || value.find("{z}") == std::string::npos || value.find("{x}") == std::string::npos ||
        value.find("{y}") == std::string::npos) {
        invalid(key, value, "expected an http(s) URL template with {z}, {x} and {y}");
    }
    c.console.tile_url = value;
}

}  // namespace

void add_console_settings(SettingTable& table) {
    const auto console = &Config::console;
    table.insert({
        {"console.enabled", flag(console, &ConsoleSettings::enabled)},
        {"console.idle_timeout_seconds",
         seconds(60, 7 * 24 * 3600, console, &ConsoleSettings::idle_timeout)},
        {"console.session_lifetime_seconds",
         seconds(60, 31 * 24 * 3600, console, &ConsoleSettings::session_lifetime)},
        {"console.login_failures_per_account",
         whole_number(1, 1000, console, &ConsoleSettings::login_failures_per_account)},
        {"console.login_failures_per_address",
         whole_number(1, 100000, console, &ConsoleSettings::login_failures_per_address)},
        {"console.login_window_seconds",
         seconds(60, 24 * 3600, console, &ConsoleSettings::login_window)},
        {"console.tile_url", apply_tile_url},
        {"console.tile_attribution", text(console, &ConsoleSettings::tile_attribution)},
    });
}

}  // namespace open311::config
