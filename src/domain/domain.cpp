// Names of the domain enumerations, and the small rules that belong to the model itself.
#include "open311/domain/api_key.hpp"
#include "open311/domain/request.hpp"
#include "open311/domain/service.hpp"
#include "open311/domain/time.hpp"
#include "open311/domain/workflow.hpp"

#include <chrono>

namespace open311 {

Timestamp now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

const std::string& pick_locale(const LocalizedText& text,
                               const std::string& locale,
                               const std::string& fallback) {
    static const std::string kEmpty;
    if (auto it = text.find(locale); it != text.end()) {
        return it->second;
    }
    if (auto it = text.find(fallback); it != text.end()) {
        return it->second;
    }
    return text.empty() ? kEmpty : text.begin()->second;
}

const char* to_string(ServiceType type) {
    switch (type) {
        case ServiceType::batch:
            return "batch";
        case ServiceType::blackbox:
            return "blackbox";
        case ServiceType::realtime:
        default:
            return "realtime";
    }
}

std::optional<ServiceType> service_type_from(const std::string& text) {
    if (text == "realtime") {
        return ServiceType::realtime;
    }
    if (text == "batch") {
        return ServiceType::batch;
    }
    if (text == "blackbox") {
        return ServiceType::blackbox;
    }
    return std::nullopt;
}

namespace {
constexpr const char* kDatatypeNames[] = {
    "string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"};
}

const char* to_string(Datatype type) {
    return kDatatypeNames[static_cast<int>(type)];
}

std::optional<Datatype> datatype_from(const std::string& text) {
    for (int i = 0; i < 6; ++i) {
        if (text == kDatatypeNames[i]) {
            return static_cast<Datatype>(i);
        }
    }
    return std::nullopt;
}

int Service::level() const {
    int level = 1;
    for (char c : code) {
        level += c == '.' ? 1 : 0;
    }
    return level;
}

const ServiceTranslation& Service::translation(const std::string& locale,
                                               const std::string& fallback) const {
    static const ServiceTranslation kEmpty;
    if (auto it = translations.find(locale); it != translations.end()) {
        return it->second;
    }
    if (auto it = translations.find(fallback); it != translations.end()) {
        return it->second;
    }
    return translations.empty() ? kEmpty : translations.begin()->second;
}

const char* to_string(ModerationState state) {
    switch (state) {
        case ModerationState::published:
            return "published";
        case ModerationState::rejected:
            return "rejected";
        case ModerationState::pending:
        default:
            return "pending";
    }
}

std::optional<ModerationState> moderation_state_from(const std::string& text) {
    if (text == "pending") {
        return ModerationState::pending;
    }
    if (text == "published") {
        return ModerationState::published;
    }
    if (text == "rejected") {
        return ModerationState::rejected;
    }
    return std::nullopt;
}

const std::vector<std::string>& detailed_status_values() {
    static const std::vector<std::string> kValues = {
        "RECEIVED",
        "IN_PROCESS",
        "PROCESSED",
        "ARCHIVED",
        "REJECTED",
        "PUBLIC_WORKS_NEW",
        "PUBLIC_WORKS_IN_PROGRESS",
        "PUBLIC_WORKS_COMPLETED",
        "PUBLIC_WORKS_COMPLETED_SCHEDULED_LATER",
        "PUBLIC_WORKS_COMPLETED_REQUIRES_NO_ACTION",
        "PUBLIC_WORKS_INTERRUPTED",
    };
    return kValues;
}

bool detailed_status_closes(const std::string& value) {
    return value == "PROCESSED" || value == "ARCHIVED" || value == "REJECTED";
}

const char* to_string(Role role) {
    switch (role) {
        case Role::staff:
            return "staff";
        case Role::admin:
            return "admin";
        case Role::client:
        default:
            return "client";
    }
}

std::optional<Role> role_from(const std::string& text) {
    if (text == "client") {
        return Role::client;
    }
    if (text == "staff") {
        return Role::staff;
    }
    if (text == "admin") {
        return Role::admin;
    }
    return std::nullopt;
}

const char* to_string(UpdateSource source) {
    return source == UpdateSource::client ? "client" : "staff";
}

const char* to_string(DeliveryState state) {
    switch (state) {
        case DeliveryState::sent:
            return "sent";
        case DeliveryState::failed:
            return "failed";
        case DeliveryState::pending:
        default:
            return "pending";
    }
}

std::optional<DeliveryState> delivery_state_from(const std::string& text) {
    if (text == "pending") {
        return DeliveryState::pending;
    }
    if (text == "sent") {
        return DeliveryState::sent;
    }
    if (text == "failed") {
        return DeliveryState::failed;
    }
    return std::nullopt;
}

}  // namespace open311
