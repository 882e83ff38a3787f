#pragma once

#include "open311/domain/service.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace open311::catalogue {

/// A catalogue file or service object that does not follow the format. what() names the
/// service for people reading an import ("service 42 attribute COLOUR: attributes[0].datatype
/// must be …"); field() and problem() give the same fault relative to one service object, for
/// API answers ("attributes[0].datatype", "must be …").
class CatalogueError : public std::runtime_error {
public:
    CatalogueError(const std::string& where, std::string field, std::string problem)
        : std::runtime_error(where + ": " + (field.empty() ? "" : field + " ") + problem),
          field_(std::move(field)),
          problem_(std::move(problem)) {}
    explicit CatalogueError(const std::string& message)
        : std::runtime_error(message), problem_(message) {}

    /// The member at fault as a path within the service object ("translations.fi.service_name",
    /// "attributes[2].datatype"; indexes from 0), or "" for the object as a whole.
    const std::string& field() const { return field_; }
    /// What is wrong with it.
    const std::string& problem() const { return problem_; }

private:
    std::string field_;
    std::string problem_;
};

/// How strictly unknown members are treated.
enum class UnknownMembers {
    ignore,  ///< the import file: members of later versions or other tools pass
    refuse   ///< the staff API: a misspelt member is an error naming it
};

/// Parses a catalogue file ({"services": [...]}, see docs/catalogue.md). Throws CatalogueError.
std::vector<Service> parse_catalogue(const std::string& json_text);

/// Parses one service object of the catalogue format. Throws CatalogueError.
Service parse_service(const nlohmann::json& object,
                      UnknownMembers unknown = UnknownMembers::ignore);

/// The catalogue format of one service (the inverse of parse_service).
nlohmann::ordered_json service_to_json(const Service& service);

/// A whole catalogue file {"services": [...]} (the inverse of parse_catalogue).
nlohmann::ordered_json catalogue_to_json(const std::vector<Service>& services);

}  // namespace open311::catalogue
