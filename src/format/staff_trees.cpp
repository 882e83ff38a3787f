// Domain → JSON for the staff API: the documents staff handlers answer, built here like the
// public trees so that handlers only read, call and write.
#include "format/staff_trees.hpp"

#include "format/datetime.hpp"
#include "format/trees.hpp"
#include "format/workflow_trees.hpp"

namespace open311::format {

using nlohmann::ordered_json;

ordered_json staff_record(const ServiceRequest& request,
                          const std::string& service_name,
                          const std::vector<RequestUpdate>& updates,
                          const std::vector<AuditEntry>& audit,
                          const std::vector<Notification>& notifications) {
    auto body = staff_request(request, service_name);
    auto update_items = ordered_json::array();
    for (const auto& u : updates) {
        update_items.push_back(staff_update(u));
    }
    auto audit_items = ordered_json::array();
    for (const auto& a : audit) {
        audit_items.push_back(staff_audit_entry(a));
    }
    auto notification_items = ordered_json::array();
    for (const auto& n : notifications) {
        notification_items.push_back(staff_notification(n));
    }
    body["updates"] = std::move(update_items);
    body["audit"] = std::move(audit_items);
    body["notifications"] = std::move(notification_items);
    return body;
}

ordered_json staff_request_list(const std::vector<ServiceRequest>& requests,
                                const std::vector<std::string>& service_names,
                                std::int64_t total) {
    auto list = ordered_json::array();
    for (std::size_t i = 0; i < requests.size(); ++i) {
        list.push_back(staff_request(requests[i], service_names.at(i)));
    }
    ordered_json body;
    body["requests"] = std::move(list);
    body["total"] = total;
    return body;
}

ordered_json staff_update_list(const std::vector<RequestUpdate>& updates) {
    auto list = ordered_json::array();
    for (const auto& u : updates) {
        list.push_back(staff_update(u));
    }
    ordered_json body;
    body["updates"] = std::move(list);
    return body;
}

ordered_json staff_audit_page(const std::vector<AuditEntry>& lines,
                              const std::optional<std::string>& next_cursor) {
    auto list = ordered_json::array();
    for (const auto& a : lines) {
        list.push_back(staff_audit_entry(a));
    }
    ordered_json body;
    body["audit"] = std::move(list);
    const bool more = next_cursor && !lines.empty();
    body["next_before"] = more ? ordered_json(lines.back().seq) : nullptr;
    body["next_cursor"] = more ? ordered_json(*next_cursor) : nullptr;
    return body;
}

ordered_json staff_key(const ApiKey& key, Timestamp at) {
    const bool expired = key.expires_at && at >= *key.expires_at;
    ordered_json o;
    o["name"] = key.name;
    o["role"] = to_string(key.role);
    o["prefix"] = key.prefix;
    o["created"] = to_w3c(key.created_at);
    o["expires"] = key.expires_at ? ordered_json(to_w3c(*key.expires_at)) : nullptr;
    o["revoked"] = key.revoked_at ? ordered_json(to_w3c(*key.revoked_at)) : nullptr;
    o["state"] = key.revoked_at ? "revoked" : (expired ? "expired" : "active");
    return o;
}

ordered_json staff_key_list(const std::vector<ApiKey>& keys, Timestamp at) {
    auto list = ordered_json::array();
    for (const auto& k : keys) {
        list.push_back(staff_key(k, at));
    }
    return {{"keys", std::move(list)}};
}

ordered_json staff_key_usage(const std::string& name,
                             int days,
                             const std::vector<KeyUsage>& usage) {
    std::int64_t created = 0;
    std::int64_t rejected = 0;
    std::int64_t rate_limited = 0;
    auto list = ordered_json::array();
    for (const auto& u : usage) {
        list.push_back({{"day", u.day},
                        {"created", u.created},
                        {"rejected", u.rejected},
                        {"rate_limited", u.rate_limited}});
        created += u.created;
        rejected += u.rejected;
        rate_limited += u.rate_limited;
    }
    ordered_json body;
    body["name"] = name;
    body["days"] = days;
    body["totals"] = {{"created", created}, {"rejected", rejected}, {"rate_limited", rate_limited}};
    body["usage"] = std::move(list);
    return body;
}

}  // namespace open311::format
