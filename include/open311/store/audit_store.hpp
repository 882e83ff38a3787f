#pragma once

#include "open311/domain/workflow.hpp"

#include <optional>
#include <string>
#include <vector>

namespace open311 {

/// Filter for the audit trail; empty strings and nullopt mean "no condition".
struct AuditFilter {
    std::string request_id;
    std::string actor;
    std::string action;              ///< exact, or a prefix when it ends with '.' ("service.")
    std::optional<Timestamp> since;  ///< inclusive
    /// Only lines older than the line this cursor came from (AuditStore::audit_cursor, passed
    /// back as it is); empty starts at the newest line. A token the store did not hand out raises
    /// StoreError with StoreErrc::invalid_token.
    std::string before;
    int limit = 100;
};

/// The append-only audit trail. Most lines are written by the change they describe, in its
/// transaction (CaseStore, CatalogueStore, KeyStore, MediaStore).
class AuditStore {
public:
    virtual ~AuditStore() = default;

    virtual void append_audit(const AuditEntry& entry) = 0;
    /// The trail of one request, oldest first.
    virtual std::vector<AuditEntry> list_request_audit(const std::string& request_id) = 0;
    /// Lines of the whole trail, newest first, at most `filter.limit`.
    virtual std::vector<AuditEntry> search_audit(const AuditFilter& filter) = 0;
    /// The opaque cursor that continues a search after `line` (a line this store returned):
    /// keyset paging, so lines appended meanwhile never shift the pages.
    virtual std::string audit_cursor(const AuditEntry& line) = 0;
};

}  // namespace open311
