#pragma once

#include "open311/domain/request.hpp"
#include "open311/domain/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace open311 {

/// Who wrote a service request update.
enum class UpdateSource { staff, client };

const char* to_string(UpdateSource source);

/// Whoever posted a client update. Personal data: staff view only.
struct UpdateSubmitter {
    std::string email;
    std::string first_name;
    std::string last_name;
    std::string phone;
    std::string title;
    std::string account_id;
};

/// A service request update (GeoReport v2 "request_update", FMS extensions).
struct RequestUpdate {
    std::string id;          ///< update_id: opaque, random
    std::string request_id;  ///< service_request_id
    ModerationState state = ModerationState::published;
    std::string status = "open";  ///< open | closed: the request's status after the update
    std::string external_status;  ///< FMS state (investigating, fixed, …) or ""
    std::string detailed_status;  ///< the request's detailed status after the update
    std::string description;      ///< the note shown with the update
    std::string media_url;
    Timestamp at = 0;  ///< updated_datetime
    UpdateSource source = UpdateSource::staff;
    std::string api_key_name;                  ///< the key that wrote it (staff view only)
    std::string client_update_id;              ///< the update_id a client sent, if any
    std::optional<Timestamp> client_datetime;  ///< the updated_datetime a client sent
    std::string token;                         ///< answered instead of the id while pending
    UpdateSubmitter submitter;
};

/// One line of the append-only audit trail.
struct AuditEntry {
    std::int64_t seq = 0;
    Timestamp at = 0;
    std::string actor;       ///< the key name
    std::string action;      ///< e.g. request.edit, request.publish, service.create, key.revoke
    std::string request_id;  ///< empty when the action is not about a request
    std::string subject;     ///< what was acted on: a service code, a key name, an update id
    std::string detail;      ///< JSON object text: {"before": …, "after": …}
};

/// Delivery state of an outgoing message.
enum class DeliveryState { pending, sent, failed };

const char* to_string(DeliveryState state);
std::optional<DeliveryState> delivery_state_from(const std::string& text);

/// An e-mail in the outbox.
struct Notification {
    std::int64_t seq = 0;  ///< the message's number, for logs and its Message-ID
    /// Opaque, set by OutboxStore::claim_due_notifications: the claim that records the outcome.
    std::string lease;
    std::string request_id;
    std::string kind;       ///< e.g. request.processed
    std::string recipient;  ///< personal data
    std::string subject;
    std::string body;
    DeliveryState state = DeliveryState::pending;
    int attempts = 0;
    Timestamp created_at = 0;
    Timestamp next_attempt_at = 0;
    std::optional<Timestamp> sent_at;
    std::string last_error;
};

/// A staff edit of one request (PATCH /admin/v1/requests/{id}, the console's case form).
/// Each member is set when the edit names that field.
struct RequestEdit {
    std::optional<std::string> status;
    std::optional<std::vector<std::string>> detailed_status;
    std::optional<std::string> status_notes;
    std::optional<std::string> agency_responsible;
    std::optional<std::string> service_notice;
    std::optional<std::optional<Timestamp>> expected_at;  ///< inner nullopt: clear it
    std::optional<std::string> title;
    std::optional<std::string> description;
    std::optional<std::string> address;
    std::optional<std::int64_t> version;  ///< the version the edit was made on, when given
};

}  // namespace open311
