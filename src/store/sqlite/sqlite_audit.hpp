#pragma once

#include "store/sqlite/database.hpp"

#include "open311/domain/workflow.hpp"

namespace open311::store {

/// Appends one audit line on `db`, inside the caller's transaction, so that the line commits
/// or rolls back with the change it describes.
void insert_audit(Database& db, const AuditEntry& entry);

}  // namespace open311::store
