// Changes of initiatives, each with its audit line: the import and the admin API both call
// these, so that every change is recorded the same way.
#include "initiatives/changes.hpp"

#include "initiatives/import_format.hpp"
#include "workflow/audit.hpp"

#include <spdlog/spdlog.h>

namespace open311::initiatives {

const char* to_string(Saved saved) {
    switch (saved) {
        case Saved::created:
            return "created";
        case Saved::replaced:
            return "replaced";
        case Saved::unchanged:
            break;
    }
    return "unchanged";
}

workflow::Outcome<Saved> save_initiative(Store& store,
                                         const Initiative& initiative,
                                         const std::string& actor) {
    using Result = workflow::Outcome<Saved>;
    const auto current = store.find_initiative(initiative.id);
    if (current && *current == initiative) {
        return Result::done(Saved::unchanged);
    }
    const auto after = import_object(initiative);
    AuditEntry audit;
    if (current) {
        const auto diff = workflow::changed_members(import_object(*current), after);
        audit = workflow::audit_line(now(),
                                     actor,
                                     "initiative.replace",
                                     "",
                                     std::to_string(initiative.id),
                                     diff["before"],
                                     diff["after"]);
    } else {
        audit = workflow::audit_line(
            now(), actor, "initiative.create", "", std::to_string(initiative.id), nullptr, after);
    }
    const bool created = store.save_initiative(initiative, audit);
    // Ids only: titles and author names stay out of the log.
    spdlog::info("initiatives: initiative {} {} by '{}'",
                 initiative.id,
                 created ? "created" : "replaced",
                 actor);
    return Result::done(created ? Saved::created : Saved::replaced);
}

workflow::Outcome<Initiative> delete_initiative(Store& store,
                                                std::int64_t id,
                                                const std::string& actor) {
    using Result = workflow::Outcome<Initiative>;
    const ApiError unknown{ErrorCode::not_found, "no initiative " + std::to_string(id)};
    auto current = store.find_initiative(id);
    if (!current) {
        return Result::refused(unknown);
    }
    const auto audit = workflow::audit_line(now(),
                                            actor,
                                            "initiative.delete",
                                            "",
                                            std::to_string(id),
                                            import_object(*current),
                                            nullptr);
    if (!store.delete_initiative(id, audit)) {
        return Result::refused(unknown);  // deleted meanwhile by someone else
    }
    spdlog::info("initiatives: initiative {} deleted by '{}'", id, actor);
    return Result::done(std::move(*current));
}

}  // namespace open311::initiatives
