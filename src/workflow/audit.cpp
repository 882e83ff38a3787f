// The one place an audit line is written: every workflow action records who did what, and the
// fields before and after, in the same shape.
#include "workflow/audit.hpp"

namespace open311::workflow {

using nlohmann::ordered_json;

AuditEntry audit_line(Timestamp at,
                      const std::string& actor,
                      const std::string& action,
                      const std::string& request_id,
                      const std::string& subject,
                      ordered_json before,
                      ordered_json after) {
    ordered_json detail;
    detail["before"] = std::move(before);
    detail["after"] = std::move(after);
    return AuditEntry{0, at, actor, action, request_id, subject, detail.dump()};
}

ordered_json changed_members(const ordered_json& before, const ordered_json& after) {
    ordered_json b = ordered_json::object();
    ordered_json a = ordered_json::object();
    for (const auto& [key, value] : after.items()) {
        if (!before.contains(key) || before[key] != value) {
            b[key] = before.contains(key) ? before[key] : ordered_json(nullptr);
            a[key] = value;
        }
    }
    return {{"before", std::move(b)}, {"after", std::move(a)}};
}

std::string loggable_actor(const std::string& actor) {
    return actor.find('@') == std::string::npos ? actor : std::string("a console user");
}

}  // namespace open311::workflow
