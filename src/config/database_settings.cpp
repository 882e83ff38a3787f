// [database]: the SQLite file, its durability, the demo catalogue.
#include "config/settings.hpp"

namespace open311::config {

void add_database_settings(SettingTable& table) {
    table.insert({
        {"database.path", path_text("expected a file path", &Config::db_path)},
        {"database.synchronous", one_of(names({"normal", "full"}), &Config::db_synchronous)},
        {"database.demo", flag(&Config::demo)},
    });
}

}  // namespace open311::config
