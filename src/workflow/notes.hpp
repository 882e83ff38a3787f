#pragma once

#include "workflow/outcome.hpp"

#include "open311/store/store.hpp"

#include <string>

namespace open311::workflow {

/// Adds a staff-only note to a request's history (the audit trail, action "request.note").
/// Nothing public changes: no update, no e-mail, no new version.
Outcome<AuditEntry> add_internal_note(Store& store,
                                      const std::string& request_id,
                                      const std::string& note,
                                      const std::string& actor);

}  // namespace open311::workflow
