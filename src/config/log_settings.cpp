// [log]: the level, the format, the access log and where request ids come from.
#include "config/settings.hpp"

#include <cctype>
#include <charconv>

namespace open311::config {
namespace {

/// log.access: "all", "errors", "off", or a fraction (0.01) of the answers below 400 to log
/// beside every error.
void apply_access(Config& c, const std::string& key, const std::string& value) {
    c.access_log = value != "off";
    if (value == "all" || value == "off") {
        c.access_log_sample = 1.0;
        return;
    }
    if (value == "errors") {
        c.access_log_sample = 0.0;
        return;
    }
    double fraction = -1;
    const auto* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, fraction);
    if (value.empty() || ec != std::errc{} || ptr != end || !(fraction >= 0.0 && fraction <= 1.0)) {
        invalid(key, value, "expected all, errors, off, or a fraction from 0 to 1 such as 0.01");
    }
    c.access_log_sample = fraction;
}

/// log.request_id_header: a header name (letters, digits, '-'), or empty.
void apply_request_id_header(Config& c, const std::string& key, const std::string& value) {
    for (char ch : value) {
        if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_')) {
            invalid(key, value, "expected a header name such as X-Request-Id, or empty");
        }
    }
    c.request_id_header = value;
}

}  // namespace

void add_log_settings(SettingTable& table) {
    table.insert({
        {"log.level",
         one_of(names({"trace", "debug", "info", "warn", "error", "critical", "off"}),
                &Config::log_level)},
        {"log.format",
         one_of(
             std::vector<Choice<LogFormat>>{{"text", LogFormat::text}, {"json", LogFormat::json}},
             &Config::log_format)},
        {"log.access", apply_access},
        {"log.access_log", flag(&Config::access_log)},
        {"log.request_id_header", apply_request_id_header},
    });
}

}  // namespace open311::config
