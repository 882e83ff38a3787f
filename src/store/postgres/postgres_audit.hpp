#pragma once

#include "store/postgres/pq.hpp"

#include "open311/domain/workflow.hpp"

namespace open311::store::pg {

/// Appends one audit line inside the caller's transaction, so that it commits or rolls back
/// with the change it describes.
void insert_audit(Connection& c, const AuditEntry& entry);

}  // namespace open311::store::pg
