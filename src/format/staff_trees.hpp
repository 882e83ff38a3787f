#pragma once

#include "open311/domain/abuse.hpp"
#include "open311/domain/api_key.hpp"
#include "open311/domain/request.hpp"
#include "open311/domain/workflow.hpp"

#include <nlohmann/json.hpp>

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

/// A key as listed: everything but the secret and its hash; its state as of `at`.
nlohmann::ordered_json staff_key(const ApiKey& key, Timestamp at);

/// {"keys": [...]}.
nlohmann::ordered_json staff_key_list(const std::vector<ApiKey>& keys, Timestamp at);

/// A key's usage per day over `days` days, newest first, with the totals.
nlohmann::ordered_json staff_key_usage(const std::string& name,
                                       int days,
                                       const std::vector<KeyUsage>& usage);

}  // namespace open311::format
