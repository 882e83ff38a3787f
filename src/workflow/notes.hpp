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

/// Staff's "Send again" for an e-mail about a request that failed for good: queued for one
/// more attempt now, with its audit line ("notification.retry", subject the message number).
Outcome<Notification> resend_notification(Store& store,
                                          const std::string& request_id,
                                          std::int64_t seq,
                                          const std::string& actor);

}  // namespace open311::workflow
