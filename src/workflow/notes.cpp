// Internal notes: staff-only remarks kept in a request's audit trail.
#include "workflow/notes.hpp"

#include "workflow/audit.hpp"

namespace open311::workflow {

Outcome<AuditEntry> add_internal_note(Store& store,
                                      const std::string& request_id,
                                      const std::string& note,
                                      const std::string& actor) {
    if (note.empty() || note.size() > 4000) {
        return Outcome<AuditEntry>::refused(
            field_error("internal_note", "must be 1 to 4000 characters"));
    }
    if (!store.find_request(request_id)) {
        return Outcome<AuditEntry>::refused(
            {ErrorCode::not_found, "no request '" + request_id + "'"});
    }
    nlohmann::ordered_json after;
    after["internal_note"] = note;
    auto line = audit_line(now(), actor, "request.note", request_id, "", nullptr, after);
    store.append_audit(line);
    return Outcome<AuditEntry>::done(std::move(line));
}

}  // namespace open311::workflow
