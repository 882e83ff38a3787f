// The one place that knows which backends exist.
#include "open311/store/make_store.hpp"

#include "store/sqlite/sqlite_store.hpp"

namespace open311 {

std::unique_ptr<Store> make_store(const Config& config) {
    return std::make_unique<store::SqliteStore>(config.db_path, config.db_synchronous);
}

}  // namespace open311
