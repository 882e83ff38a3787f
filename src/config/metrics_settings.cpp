// [metrics]: GET /metrics, its token and its optional listener of its own.
#include "config/settings.hpp"

namespace open311::config {
namespace {

void apply_metrics_listen(Config& c, const std::string& key, const std::string& value) {
    if (value.empty()) {
        c.metrics.listen_host.reset();
        return;
    }
    auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        invalid(key, value, "expected HOST:PORT, or empty");
    }
    std::string host = value.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    c.metrics.listen_host = host;
    c.metrics.listen_port = parse_integer<std::uint16_t>(key, value.substr(colon + 1), 0, 65535);
}

}  // namespace

void add_metrics_settings(SettingTable& table) {
    table.insert({
        {"metrics.enabled", flag(&Config::metrics, &MetricsSettings::enabled)},
        {"metrics.token", text(&Config::metrics, &MetricsSettings::token)},
        {"metrics.listen", apply_metrics_listen},
    });
}

}  // namespace open311::config
