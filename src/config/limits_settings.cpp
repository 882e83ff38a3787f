// [limits]: abuse control for POSTs, idempotency and usage counting.
#include "config/settings.hpp"
#include "util/ip_range.hpp"

namespace open311::config {
namespace {

void apply_trusted_proxies(Config& c, const std::string& key, const std::string& value) {
    c.trusted_proxies = parse_list(value);
    for (const auto& p : c.trusted_proxies) {
        if (!parse_ip_range(p)) {
            invalid(key, p, "expected an IP address or a CIDR range such as 10.0.0.0/8");
        }
    }
}

}  // namespace

void add_limits_settings(SettingTable& table) {
    table.insert({
        {"limits.key_posts_per_minute", whole_number(0, 1000000, &Config::key_posts_per_minute)},
        {"limits.key_burst", whole_number(1, 1000000, &Config::key_burst)},
        {"limits.ip_posts_per_minute", whole_number(0, 1000000, &Config::ip_posts_per_minute)},
        {"limits.ip_burst", whole_number(1, 1000000, &Config::ip_burst)},
        {"limits.trusted_proxies", apply_trusted_proxies},
        {"limits.idempotency_ttl_hours",
         whole_number(1U, 24U * 30U, &Config::idempotency_ttl_hours)},
        {"limits.usage_flush_seconds", whole_number(1U, 3600U, &Config::usage_flush_seconds)},
    });
}

}  // namespace open311::config
