// The one place that knows which backends exist.
#include "open311/store/make_store.hpp"

#include "store/backends.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace open311 {

std::unique_ptr<Store> make_store(const Config& config) {
    if (store::is_postgres_url(config.db_path)) {
        try {
            return std::make_unique<store::pg::PostgresStore>(
                store::pg::PostgresStore::Options{config.db_path, config.db_pool_size});
        } catch (const StoreError& e) {
            // Name the database (without its password): which one could not be used matters
            // most when several are configured around.
            // what() ends with the code's own message, which the new error adds again.
            std::string detail = e.what();
            const std::string suffix = ": " + e.code().message();
            if (detail.size() > suffix.size() &&
                detail.compare(detail.size() - suffix.size(), suffix.size(), suffix) == 0) {
                detail.resize(detail.size() - suffix.size());
            }
            throw StoreError(
                static_cast<StoreErrc>(e.code().value()),
                "database " + store::redacted_database(config.db_path) + ": " + detail);
        }
    }
    if (config.db_path.find("://") != std::string::npos) {
        throw StoreError(StoreErrc::unavailable,
                         "unsupported database URI '" + store::redacted_database(config.db_path) +
                             "' (expected a file path or a postgresql:// URI)");
    }
    return std::make_unique<store::SqliteStore>(config.db_path, config.db_synchronous);
}

}  // namespace open311
