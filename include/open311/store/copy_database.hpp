#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace open311 {

/// What `copy_database` may do to its target.
struct CopyOptions {
    /// Empty a target that holds data first (its audit trail included) instead of refusing it.
    bool replace = false;
};

/// Rows copied per table, in the order they were copied.
struct CopyReport {
    struct Table {
        std::string name;
        std::int64_t rows = 0;
    };
    std::vector<Table> tables;
};

/// Copies everything one database holds into another, each a SQLite file path or a
/// postgresql:// URI: the catalogue, requests with their updates, submitters and media records,
/// the audit trail, the e-mail outbox, API keys with their limits, usage and idempotency
/// records, staff users and the initiatives. Ids and sequence numbers are kept. Staff sessions
/// and failed sign-ins are not copied (users sign in again). Both databases are migrated to this
/// program's schema first. The target must hold none of these rows unless `options.replace`;
/// the whole copy is one transaction on the target, so a failure leaves it as it was.
/// Throws StoreError (or std::runtime_error for a refused target); messages never hold a
/// password.
CopyReport copy_database(const std::string& from,
                         const std::string& to,
                         const CopyOptions& options = {});

}  // namespace open311
