#pragma once

#include "workflow/outcome.hpp"

#include "open311/store/store.hpp"

#include <optional>
#include <string>

namespace open311::workflow {

/// What a catalogue change did.
enum class SaveKind { created, updated, unchanged };

/// Saves a service with its audit line (`action`: service.create, service.update,
/// service.deactivate). A new one when `before` is empty (a taken code is a conflict), else a
/// change of `before` (an unknown code is not found); a change that changes nothing writes
/// nothing, not even an audit line.
Outcome<SaveKind> save_service(Store& store,
                               const Service& service,
                               const std::optional<Service>& before,
                               const std::string& action,
                               const std::string& actor);

}  // namespace open311::workflow
