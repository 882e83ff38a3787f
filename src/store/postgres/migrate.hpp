#pragma once

#include <string>
#include <vector>

namespace open311::store::pg {

class Connection;

/// Applies the embedded PostgreSQL migrations (migrations/postgresql/) the database lacks, each
/// in its own transaction, and records their versions. The whole run holds a session advisory
/// lock, so servers starting together on a new database wait for each other and apply every
/// migration once. Refuses (StoreErrc::incompatible) a database newer than this binary.
/// Returns the names of the migrations applied by this call.
std::vector<std::string> migrate(Connection& c);

/// The newest PostgreSQL migration version this binary knows.
int latest_schema_version();

}  // namespace open311::store::pg
