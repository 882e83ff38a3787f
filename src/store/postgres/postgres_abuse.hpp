#pragma once

#include "store/postgres/pq.hpp"

#include "open311/domain/abuse.hpp"

namespace open311::store::pg {

/// Stores the answer of a claimed Idempotency-Key inside the caller's transaction (with the
/// request it answers for).
void complete_claim(Connection& c, const IdempotencyRecord& record);

}  // namespace open311::store::pg
