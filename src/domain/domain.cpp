// Names of the domain enumerations, and the small rules that belong to the model itself.
#include "domain/enum_names.hpp"

#include "open311/domain/api_key.hpp"
#include "open311/domain/request.hpp"
#include "open311/domain/service.hpp"
#include "open311/domain/time.hpp"
#include "open311/domain/workflow.hpp"

#include <atomic>
#include <chrono>

namespace open311 {
namespace {

std::atomic<Timestamp> g_clock_offset{0};

}  // namespace

Timestamp now() {
    return std::chrono::duration_cast<std::chrono::seconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count() +
           g_clock_offset.load(std::memory_order_relaxed);
}

void set_clock_offset(Timestamp seconds) {
    g_clock_offset.store(seconds, std::memory_order_relaxed);
}

Timestamp clock_offset() {
    return g_clock_offset.load(std::memory_order_relaxed);
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

namespace {

// Each enumeration's names in declaration order (domain/enum_names.hpp).
constexpr EnumNames<ServiceType, 3> kServiceTypes({"realtime", "batch", "blackbox"});
constexpr EnumNames<Datatype, 6> kDatatypes(
    {"string", "number", "datetime", "text", "singlevaluelist", "multivaluelist"});
constexpr EnumNames<ModerationState, 3> kModerationStates({"pending", "published", "rejected"});
constexpr EnumNames<Role, 3> kRoles({"client", "staff", "admin"});
constexpr EnumNames<UpdateSource, 2> kUpdateSources({"staff", "client"});
constexpr EnumNames<DeliveryState, 3> kDeliveryStates({"pending", "sent", "failed"});

}  // namespace

const char* to_string(ServiceType type) {
    return kServiceTypes.name(type);
}

std::optional<ServiceType> service_type_from(const std::string& text) {
    return kServiceTypes.parse(text);
}

const char* to_string(Datatype type) {
    return kDatatypes.name(type);
}

std::optional<Datatype> datatype_from(const std::string& text) {
    return kDatatypes.parse(text);
}

const char* to_string(ModerationState state) {
    return kModerationStates.name(state);
}

std::optional<ModerationState> moderation_state_from(const std::string& text) {
    return kModerationStates.parse(text);
}

const char* to_string(Role role) {
    return kRoles.name(role);
}

std::optional<Role> role_from(const std::string& text) {
    return kRoles.parse(text);
}

const char* to_string(UpdateSource source) {
    return kUpdateSources.name(source);
}

const char* to_string(DeliveryState state) {
    return kDeliveryStates.name(state);
}

std::optional<DeliveryState> delivery_state_from(const std::string& text) {
    return kDeliveryStates.parse(text);
}

}  // namespace open311
