// Internal notes (staff-only remarks kept in a request's audit trail) and resending a
// failed e-mail.
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

Outcome<Notification> resend_notification(Store& store,
                                          const std::string& request_id,
                                          std::int64_t seq,
                                          const std::string& actor) {
    for (auto& n : store.list_request_notifications(request_id)) {
        if (n.seq != seq) {
            continue;
        }
        if (n.state != DeliveryState::failed) {
            return Outcome<Notification>::refused(
                {ErrorCode::conflict, "only a failed e-mail can be sent again"});
        }
        const Timestamp at = now();
        nlohmann::ordered_json before;
        before["state"] = "failed";
        nlohmann::ordered_json after;
        after["state"] = "pending";
        // The recipient stays out of the line: the message number names it.
        const auto line = audit_line(
            at, actor, "notification.retry", request_id, std::to_string(seq), before, after);
        if (!store.retry_notification(seq, request_id, at, line)) {
            return Outcome<Notification>::refused(
                {ErrorCode::conflict, "only a failed e-mail can be sent again"});
        }
        n.state = DeliveryState::pending;
        n.next_attempt_at = at;
        return Outcome<Notification>::done(std::move(n));
    }
    return Outcome<Notification>::refused({ErrorCode::not_found, "no such e-mail"});
}

}  // namespace open311::workflow
