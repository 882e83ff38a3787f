#pragma once

#include "workflow/outcome.hpp"

#include "open311/domain/initiative.hpp"
#include "open311/store/store.hpp"

#include <cstdint>
#include <string>

namespace open311::initiatives {

/// What a save did.
enum class Saved { created, replaced, unchanged };

const char* to_string(Saved saved);

/// The one way an initiative is written, for the import and the admin API alike: creates or
/// replaces the whole initiative (authors included) with an audit line naming `actor`
/// ("initiative.create" or "initiative.replace", subject the id, the fields before and after).
/// Saving what is already stored changes nothing and writes no line. The initiative must have
/// been read by read_initiative (valid, known municipalities).
workflow::Outcome<Saved> save_initiative(Store& store,
                                         const Initiative& initiative,
                                         const std::string& actor);

/// Deletes an initiative with its "initiative.delete" audit line; not_found when there is none.
workflow::Outcome<Initiative> delete_initiative(Store& store,
                                                std::int64_t id,
                                                const std::string& actor);

}  // namespace open311::initiatives
