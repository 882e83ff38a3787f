#pragma once

#include "open311/domain/abuse.hpp"
#include "open311/domain/api_key.hpp"
#include "open311/domain/request.hpp"
#include "open311/domain/workflow.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace open311::format {

/// The staff record of one request (GET /admin/v1/requests/{id}): every field, personal data
/// included, with its updates, audit trail and notifications.
nlohmann::ordered_json staff_record(const ServiceRequest& request,
                                    const std::string& service_name,
                                    const std::vector<RequestUpdate>& updates,
                                    const std::vector<AuditEntry>& audit,
                                    const std::vector<Notification>& notifications);

/// One page of the staff request list: {"requests": [...], "total": N}. `service_names`
/// holds the name of each request's service, in the same order.
nlohmann::ordered_json staff_request_list(const std::vector<ServiceRequest>& requests,
                                          const std::vector<std::string>& service_names,
                                          std::int64_t total);

/// {"updates": [...]}: client and staff updates with their submitters.
nlohmann::ordered_json staff_update_list(const std::vector<RequestUpdate>& updates);

/// One page of the audit trail, newest first: {"audit": [...], "next_before": seq,
/// "next_cursor": token}. `next_cursor` is the store's opaque cursor of the last line when
/// another page follows (both are null on the last page); next_before, the line's number, is
/// kept for clients that read it.
nlohmann::ordered_json staff_audit_page(const std::vector<AuditEntry>& lines,
                                        const std::optional<std::string>& next_cursor);

/// A key as listed: everything but the secret and its hash; its state as of `at`.
nlohmann::ordered_json staff_key(const ApiKey& key, Timestamp at);

/// {"keys": [...]}.
nlohmann::ordered_json staff_key_list(const std::vector<ApiKey>& keys, Timestamp at);

/// A key's usage per day over `days` days, newest first, with the totals.
nlohmann::ordered_json staff_key_usage(const std::string& name,
                                       int days,
                                       const std::vector<KeyUsage>& usage);

}  // namespace open311::format
