#pragma once

#include "open311/domain/service.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <vector>

namespace open311::catalogue {

/// A catalogue file or service object that does not follow the format; what() names the
/// service and the field.
class CatalogueError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Parses a catalogue file ({"services": [...]}, see docs/catalogue.md). Throws CatalogueError.
std::vector<Service> parse_catalogue(const std::string& json_text);

/// Parses one service object of the catalogue format. Throws CatalogueError.
Service parse_service(const nlohmann::json& object);

/// The catalogue format of one service (the inverse of parse_service).
nlohmann::ordered_json service_to_json(const Service& service);

}  // namespace open311::catalogue
