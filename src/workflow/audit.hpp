#pragma once

#include "open311/domain/workflow.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace open311::workflow {

/// One audit line: `actor` did `action` at `at`; the detail records the fields as they were
/// (`before`) and as they are (`after`), the shape every line of the trail has.
AuditEntry audit_line(Timestamp at,
                      const std::string& actor,
                      const std::string& action,
                      const std::string& request_id,
                      const std::string& subject,
                      nlohmann::ordered_json before,
                      nlohmann::ordered_json after);

/// {"before": …, "after": …} with only the top-level members of `after` that differ from
/// `before` (a member missing before counts as null).
nlohmann::ordered_json changed_members(const nlohmann::ordered_json& before,
                                       const nlohmann::ordered_json& after);

/// The actor as a log line may name it: key names and console user names as they are, but a
/// user name that is an e-mail address (personal data) only as "a console user". The audit
/// trail keeps the full name.
std::string loggable_actor(const std::string& actor);

}  // namespace open311::workflow
