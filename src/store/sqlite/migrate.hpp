#pragma once

#include <string>
#include <vector>

namespace open311::store {

class Database;

/// Applies the embedded migrations the database lacks, each in its own transaction, and
/// records their versions. Each transaction holds the write lock from reading the recorded
/// versions to recording the new one, so processes migrating one file at the same moment wait
/// for each other and apply every migration once. Refuses (StoreError) a database newer than
/// this binary. Returns the names of the migrations applied now (by this call).
std::vector<std::string> migrate(Database& db);

/// The newest migration version this binary knows.
int latest_schema_version();

}  // namespace open311::store
