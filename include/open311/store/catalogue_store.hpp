#pragma once

#include "open311/domain/service.hpp"
#include "open311/domain/workflow.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace open311 {

/// Outcome of a catalogue change made through the staff API.
enum class SaveOutcome { applied, exists, not_found };

/// The service catalogue: services with their translations and attributes.
class CatalogueStore {
public:
    virtual ~CatalogueStore() = default;

    /// The whole catalogue (inactive services included) ordered by code, shared and immutable:
    /// the cheap way to read it on every request.
    virtual std::shared_ptr<const std::vector<Service>> catalogue_snapshot() = 0;
    /// The same snapshot when it can be had without waiting on the network (for answers given
    /// on an I/O thread); null when the store would have to ask a database server first. A
    /// local store's reads are quick, so by default this is catalogue_snapshot().
    virtual std::shared_ptr<const std::vector<Service>> catalogue_in_memory() {
        return catalogue_snapshot();
    }
    /// Every service ordered by code; inactive ones only when asked.
    virtual std::vector<Service> list_services(bool include_inactive) = 0;
    virtual std::optional<Service> find_service(const std::string& code) = 0;
    /// Inserts or replaces each service with its translations and attributes, in one transaction.
    virtual void upsert_services(const std::vector<Service>& services) = 0;
    virtual std::int64_t count_services() = 0;
    /// Adds a new service and its audit line in one transaction; `exists` when the code is taken.
    virtual SaveOutcome create_service(const Service& service, const AuditEntry& audit) = 0;
    /// Replaces an existing service (type, active, translations, attributes) and writes its
    /// audit line in one transaction; `not_found` when the code is unknown.
    virtual SaveOutcome update_service(const Service& service, const AuditEntry& audit) = 0;
};

}  // namespace open311
