#pragma once

#include "open311/domain/initiative.hpp"
#include "open311/domain/workflow.hpp"

#include <cstdint>
#include <optional>
#include <vector>

namespace open311 {

/// Municipal initiatives (docs/initiatives.md): the municipalities of Finland, shipped with the
/// schema, and the initiatives with their authors, written by the import and the admin API.
class InitiativeStore {
public:
    virtual ~InitiativeStore() = default;

    /// Every municipality, by code.
    virtual std::vector<Municipality> list_municipalities() = 0;
    virtual std::optional<Municipality> find_municipality(int code) = 0;

    /// A page of the public initiatives (published and not being corrected) in the query's
    /// order, without their authors.
    virtual std::vector<Initiative> list_public_initiatives(const InitiativeQuery& query) = 0;
    /// One initiative whatever its state, with its authors in their order.
    virtual std::optional<Initiative> find_initiative(std::int64_t id) = 0;
    /// Number of initiatives in every state.
    virtual std::int64_t count_initiatives() = 0;
    /// Creates or replaces the whole initiative (its authors included) with its audit line, in
    /// one transaction. Returns true when it created the initiative. A municipality code the
    /// store does not know raises StoreError (constraint).
    virtual bool save_initiative(const Initiative& initiative, const AuditEntry& audit) = 0;
    /// Deletes the initiative and its authors with its audit line, in one transaction; false
    /// (and no line) when there was none.
    virtual bool delete_initiative(std::int64_t id, const AuditEntry& audit) = 0;
};

}  // namespace open311
