// [log]: the level and the access log.
#include "config/settings.hpp"

namespace open311::config {

void add_log_settings(SettingTable& table) {
    table.insert({
        {"log.level",
         one_of(names({"trace", "debug", "info", "warn", "error", "critical", "off"}),
                &Config::log_level)},
        {"log.access_log", flag(&Config::access_log)},
    });
}

}  // namespace open311::config
