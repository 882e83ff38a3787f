#pragma once

#include "open311/config.hpp"

#include <string>
#include <string_view>

namespace open311::store {

/// True when the database setting is a PostgreSQL connection URI (postgresql:// or
/// postgres://); anything else names a SQLite file.
bool is_postgres_url(std::string_view setting);

/// The database setting as it may be shown in a log line or a command's output: the password
/// of a URI (any scheme://, in its user part or a password= parameter) replaced by "***".
std::string redacted_database(std::string_view setting);

/// The newest schema version this binary knows for the backend the configuration names.
int latest_schema_version(const Config& config);

}  // namespace open311::store
