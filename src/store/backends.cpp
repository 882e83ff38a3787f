#include "store/backends.hpp"

#include "store/postgres/migrate.hpp"
#include "store/sqlite/migrate.hpp"

namespace open311::store {

bool is_postgres_url(std::string_view setting) {
    return setting.rfind("postgresql://", 0) == 0 || setting.rfind("postgres://", 0) == 0;
}

std::string redacted_database(std::string_view setting) {
    const auto scheme_end = setting.find("://");
    if (scheme_end == std::string_view::npos) {
        return std::string(setting);  // a file path
    }
    std::string out(setting);
    const auto authority = scheme_end + 3;
    const auto authority_end = out.find_first_of("/?", authority);
    const auto at = out.rfind('@', authority_end == std::string::npos ? out.size() : authority_end);
    if (at != std::string::npos && at >= authority) {
        const auto colon = out.find(':', authority);
        if (colon != std::string::npos && colon < at) {
            out.replace(colon + 1, at - colon - 1, "***");
        }
    }
    // password=… among the parameters (at the start of the query or after an &).
    for (std::size_t pos = out.find('?'); pos != std::string::npos; pos = out.find('&', pos + 1)) {
        const std::string_view key = "password=";
        if (out.compare(pos + 1, key.size(), key) == 0) {
            const auto start = pos + 1 + key.size();
            const auto end = out.find('&', start);
            out.replace(start, (end == std::string::npos ? out.size() : end) - start, "***");
        }
    }
    return out;
}

int latest_schema_version(const Config& config) {
    return is_postgres_url(config.db_path) ? pg::latest_schema_version()
                                           : store::latest_schema_version();
}

}  // namespace open311::store
