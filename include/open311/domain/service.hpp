#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace open311 {

/// A text in several languages: locale ("fi", "sv", "en") → text.
using LocalizedText = std::map<std::string, std::string>;

/// Picks `locale`, else `fallback`, else any translation, else "".
const std::string& pick_locale(const LocalizedText& text,
                               const std::string& locale,
                               const std::string& fallback);

/// GeoReport v2 service types.
enum class ServiceType { realtime, batch, blackbox };

const char* to_string(ServiceType type);
std::optional<ServiceType> service_type_from(const std::string& text);

/// Attribute datatypes of a service definition.
enum class Datatype { string, number, datetime, text, singlevaluelist, multivaluelist };

const char* to_string(Datatype type);
std::optional<Datatype> datatype_from(const std::string& text);

/// One choice of a singlevaluelist or multivaluelist attribute.
struct AttributeValue {
    std::string key;
    LocalizedText name;
};

/// One attribute of a service definition (GeoReport v2 + FMS `automated`).
struct Attribute {
    std::string code;
    bool variable = true;
    Datatype datatype = Datatype::string;
    bool required = false;
    LocalizedText datatype_description;
    int order = 1;
    LocalizedText description;
    std::string automated;  ///< "", "hidden_field" or "server_set"
    std::vector<AttributeValue> values;
};

/// Names and texts of a service in one locale.
struct ServiceTranslation {
    std::string name;
    std::string description;
    std::string keywords;
    std::string group;
};

/// A service (request type) of the catalogue, with every translation and its definition.
struct Service {
    std::string code;  ///< hierarchical, levels separated by dots: "2806.10.2.2"
    ServiceType type = ServiceType::realtime;
    bool active = true;
    std::map<std::string, ServiceTranslation> translations;  ///< locale → texts
    std::vector<Attribute> attributes;                       ///< ordered by `order`

    /// GeoReport `metadata`: true exactly when the definition has attributes.
    bool metadata() const { return !attributes.empty(); }
    /// Depth in the hierarchy: "2806" is 1, "2806.10.2.2" is 4.
    int level() const;
    /// The translation for `locale`, falling back to `fallback`, then to any.
    const ServiceTranslation& translation(const std::string& locale,
                                          const std::string& fallback) const;
};

}  // namespace open311
