#pragma once

#include "open311/domain/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace open311 {

/// Moderation state: only published requests appear in public lists.
enum class ModerationState { pending, published, rejected };

const char* to_string(ModerationState state);
std::optional<ModerationState> moderation_state_from(const std::string& text);

/// Detailed status values of the Helsinki/CitySDK documents.
const std::vector<std::string>& detailed_status_values();
/// True for detailed values that imply status "closed".
bool detailed_status_closes(const std::string& value);

/// The personal data of the submitter. Never part of a public answer or a log line.
struct Submitter {
    std::string email;
    std::string first_name;
    std::string last_name;
    std::string phone;
    std::string device_id;
    std::string account_id;
    std::string locale;  ///< the language the submitter used, for notifications
};

/// An answer given to one attribute of the service definition.
struct AttributeAnswer {
    std::string code;
    std::vector<std::string> values;  ///< one value, or several for a multivaluelist
};

/// A service request (a piece of feedback) as stored.
struct ServiceRequest {
    std::string id;  ///< opaque, random, unguessable
    std::string service_code;
    ModerationState state = ModerationState::pending;
    std::string status = "open";  ///< open | closed
    std::string detailed_status;  ///< comma list of detailed values, may be empty
    std::string status_notes;
    std::string title;
    std::string description;
    std::string agency_responsible;
    std::string service_notice;
    Timestamp requested_at = 0;
    Timestamp updated_at = 0;
    std::optional<Timestamp> expected_at;
    std::string address;
    std::string address_id;
    std::string zipcode;
    std::optional<double> lat;
    std::optional<double> lon;
    std::string service_object_type;
    std::string service_object_id;
    std::vector<std::string> media_urls;
    bool can_be_published = false;
    std::string reject_reason;
    std::string api_key_name;  ///< which client key submitted it (staff view only)
    std::vector<AttributeAnswer> attributes;
    Submitter submitter;
    std::string token;         ///< for batch services: the token answered at submission
    std::int64_t version = 1;  ///< bumped by every change; staff edits compare it (If-Match)
};

}  // namespace open311
