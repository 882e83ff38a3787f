// Domain → tree for service request updates, the audit trail and the outbox.
#include "format/workflow_trees.hpp"

#include "format/datetime.hpp"

namespace open311::format {

using nlohmann::ordered_json;

Document updates_tree(const std::vector<RequestUpdate>& updates, UpdateStatusStyle style) {
    auto list = ordered_json::array();
    for (const auto& u : updates) {
        ordered_json item;
        item["update_id"] = u.id;
        item["service_request_id"] = u.request_id;
        item["status"] = style == UpdateStatusStyle::extended && !u.external_status.empty()
                             ? u.external_status
                             : u.status;
        item["updated_datetime"] = to_w3c(u.at);
        item["description"] = u.description;
        item["media_url"] = u.media_url;
        list.push_back(std::move(item));
    }
    return {"service_request_updates", std::move(list)};
}

Document update_post_response_tree(const RequestUpdate& u) {
    ordered_json item;
    if (!u.token.empty()) {
        item["token"] = u.token;
    } else {
        item["update_id"] = u.id;
    }
    if (!u.submitter.account_id.empty()) {
        // The poster's own account id, echoed to the system that sent it (GeoReport v2).
        item["account_id"] = u.submitter.account_id;
    }
    return {"service_request_updates", ordered_json::array({item}), Shape::post_response};
}

Document update_token_tree(const std::string& token, const std::string& update_id) {
    ordered_json item;
    item["update_id"] = update_id;
    item["token"] = token;
    return {"service_request_updates", ordered_json::array({item}), Shape::post_response};
}

ordered_json staff_update(const RequestUpdate& u) {
    ordered_json item;
    item["update_id"] = u.id;
    item["service_request_id"] = u.request_id;
    item["state"] = to_string(u.state);
    item["status"] = u.status;
    item["external_status"] = u.external_status;
    item["detailed_status"] = u.detailed_status;
    item["description"] = u.description;
    item["media_url"] = u.media_url;
    item["updated_datetime"] = to_w3c(u.at);
    item["source"] = to_string(u.source);
    item["api_key_name"] = u.api_key_name;
    item["client_update_id"] = u.client_update_id;
    item["client_datetime"] =
        u.client_datetime ? ordered_json(to_w3c(*u.client_datetime)) : ordered_json(nullptr);
    item["token"] = u.token.empty() ? ordered_json(nullptr) : ordered_json(u.token);
    item["email"] = u.submitter.email;
    item["first_name"] = u.submitter.first_name;
    item["last_name"] = u.submitter.last_name;
    item["phone"] = u.submitter.phone;
    item["title"] = u.submitter.title;
    item["account_id"] = u.submitter.account_id;
    return item;
}

ordered_json staff_audit_entry(const AuditEntry& a) {
    ordered_json item;
    item["seq"] = a.seq;
    item["at"] = to_w3c(a.at);
    item["actor"] = a.actor;
    item["action"] = a.action;
    item["request_id"] = a.request_id.empty() ? ordered_json(nullptr) : ordered_json(a.request_id);
    item["subject"] = a.subject;
    auto detail = ordered_json::parse(a.detail, nullptr, false);
    item["detail"] = detail.is_discarded() ? ordered_json::object() : std::move(detail);
    return item;
}

ordered_json staff_notification(const Notification& n) {
    ordered_json item;
    item["seq"] = n.seq;
    item["kind"] = n.kind;
    item["recipient"] = n.recipient;
    item["subject"] = n.subject;
    item["state"] = to_string(n.state);
    item["attempts"] = n.attempts;
    item["created_at"] = to_w3c(n.created_at);
    item["next_attempt_at"] =
        n.state == DeliveryState::pending ? ordered_json(to_w3c(n.next_attempt_at)) : nullptr;
    item["sent_at"] = n.sent_at ? ordered_json(to_w3c(*n.sent_at)) : ordered_json(nullptr);
    item["last_error"] = n.last_error;
    return item;
}

}  // namespace open311::format
