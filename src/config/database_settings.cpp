// [database]: the SQLite file or PostgreSQL URI, durability, pool, the demo catalogue.
#include "config/settings.hpp"

namespace open311::config {

void add_database_settings(SettingTable& table) {
    table.insert({
        {"database.path",
         path_text("expected a file path or a postgresql:// URI", &Config::db_path)},
        {"database.pool_size", whole_number<std::size_t>(1, 1000, &Config::db_pool_size)},
        {"database.synchronous", one_of(names({"normal", "full"}), &Config::db_synchronous)},
        {"database.demo", flag(&Config::demo)},
    });
}

}  // namespace open311::config
