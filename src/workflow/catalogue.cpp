// Staff changes of the service catalogue. The store bumps the catalogue revision with each
// one, so the public `services` list and POST requests see it on their next read.
#include "workflow/catalogue.hpp"

#include "catalogue/catalogue_file.hpp"
#include "workflow/audit.hpp"

#include <spdlog/spdlog.h>

namespace open311::workflow {

Outcome<SaveKind> save_service(Store& store,
                               const Service& service,
                               const std::optional<Service>& before,
                               const std::string& action,
                               const std::string& actor) {
    auto after_json = catalogue::service_to_json(service);
    nlohmann::ordered_json before_fields = nullptr;
    if (before) {
        auto diff = changed_members(catalogue::service_to_json(*before), after_json);
        if (diff["after"].empty()) {
            // A repeated DELETE, an idempotent PATCH: no write, no audit line.
            return Outcome<SaveKind>::done(SaveKind::unchanged);
        }
        before_fields = std::move(diff["before"]);
        after_json = std::move(diff["after"]);
    }
    const auto audit = audit_line(
        now(), actor, action, "", service.code, std::move(before_fields), std::move(after_json));
    const auto outcome =
        before ? store.update_service(service, audit) : store.create_service(service, audit);
    switch (outcome) {
        case SaveOutcome::exists:
            return Outcome<SaveKind>::refused({ErrorCode::conflict,
                                               "service_code: service '" + service.code +
                                                   "' already exists; PATCH /admin/v1/services/" +
                                                   service.code + " changes it"});
        case SaveOutcome::not_found:
            return Outcome<SaveKind>::refused(
                {ErrorCode::not_found, "no service '" + service.code + "'"});
        case SaveOutcome::applied:
            break;
    }
    spdlog::info("catalogue: {} {} by key '{}'", action, service.code, loggable_actor(actor));
    return Outcome<SaveKind>::done(before ? SaveKind::updated : SaveKind::created);
}

}  // namespace open311::workflow
