#pragma once

#include "open311/domain/initiative.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace open311::initiatives {

/// The import format (docs/initiatives.md): one initiative object as the initiative service
/// pushes it, used by `open311d initiatives import` and the admin API alike. Member names are
/// snake_case; unknown members are refused by name.

/// Reads one initiative object. `where` prefixes every message ("initiatives[3]"); a message
/// names the member and what is wrong with it. `id` is required unless `id_from_path` gives it
/// (then a different `id` in the object is an error). Municipality codes must be in `known`.
/// Returns nullopt when any error was added.
std::optional<Initiative> read_initiative(const nlohmann::json& object,
                                          const std::string& where,
                                          const std::set<int>& known,
                                          std::optional<std::int64_t> id_from_path,
                                          std::vector<std::string>& errors);

/// A whole import file: {"initiatives": [ … ]}. Every problem is listed; `initiatives` holds
/// the file's initiatives only when there is none.
struct ImportFile {
    std::vector<Initiative> initiatives;
    std::vector<std::string> errors;
};
ImportFile read_import_file(std::string_view text, const std::set<int>& known);

/// The initiative in the import format, everything included (staff only: it holds the
/// authors' names and the residents counter).
nlohmann::ordered_json import_object(const Initiative& initiative);

/// Whether `text` is a real calendar date written yyyy-MM-dd.
bool valid_date(std::string_view text);

}  // namespace open311::initiatives
