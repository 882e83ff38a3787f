#include "catalogue/catalogue_file.hpp"

#include <algorithm>
#include <initializer_list>
#include <set>

namespace open311::catalogue {
namespace {

/// Where a member is: a label for people ("service 42 attribute COLOUR") and the path of the
/// enclosing object within the service object ("attributes[3]", "" for the service itself).
struct Where {
    std::string label;
    std::string path;

    std::string field(const std::string& member) const {
        return path.empty() ? member : path + "." + member;
    }
};

[[noreturn]] void fail(const Where& at, const std::string& member, const std::string& problem) {
    throw CatalogueError(at.label, at.field(member), problem);
}

void check_members(const nlohmann::json& o,
                   std::initializer_list<const char*> known,
                   UnknownMembers unknown,
                   const Where& at) {
    if (unknown == UnknownMembers::ignore) {
        return;
    }
    for (const auto& [key, value] : o.items()) {
        if (std::none_of(
                known.begin(), known.end(), [&key = key](const char* k) { return key == k; })) {
            fail(at, key, "unknown field");
        }
    }
}

bool valid_code(const std::string& code) {
    // Hierarchical codes: non-empty levels of letters, digits, '-' or '_', separated by dots.
    if (code.empty() || code.size() > 64 || code.front() == '.' || code.back() == '.' ||
        code.find("..") != std::string::npos) {
        return false;
    }
    return std::all_of(code.begin(), code.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-' || c == '_';
    });
}

std::string optional_string(const nlohmann::json& o, const char* key, const Where& at) {
    if (!o.contains(key) || o[key].is_null()) {
        return {};
    }
    if (!o[key].is_string()) {
        fail(at, key, "must be a string");
    }
    return o[key].get<std::string>();
}

bool optional_bool(const nlohmann::json& o, const char* key, bool fallback, const Where& at) {
    if (!o.contains(key) || o[key].is_null()) {
        return fallback;
    }
    if (!o[key].is_boolean()) {
        fail(at, key, "must be true or false");
    }
    return o[key].get<bool>();
}

/// A text given either as a plain string (all locales) or as {"fi": "...", "en": "..."}.
LocalizedText localized(const nlohmann::json& o, const char* key, const Where& at) {
    LocalizedText out;
    if (!o.contains(key) || o[key].is_null()) {
        return out;
    }
    const auto& v = o[key];
    if (v.is_string()) {
        out["*"] = v.get<std::string>();
        return out;
    }
    if (!v.is_object()) {
        fail(at, key, "must be a string or an object of locale → text");
    }
    for (const auto& [locale, text] : v.items()) {
        if (!text.is_string()) {
            fail(at, std::string(key) + "." + locale, "must be a string");
        }
        out[locale] = text.get<std::string>();
    }
    return out;
}

std::vector<AttributeValue> parse_values(const nlohmann::json& o,
                                         UnknownMembers unknown,
                                         const Where& at) {
    std::vector<AttributeValue> out;
    if (!o.contains("values") || o["values"].is_null()) {
        return out;
    }
    if (!o["values"].is_array()) {
        fail(at, "values", "must be an array");
    }
    std::set<std::string> keys;
    for (std::size_t i = 0; i < o["values"].size(); ++i) {
        const auto& v = o["values"][i];
        const Where value_at{at.label, at.field("values[" + std::to_string(i) + "]")};
        if (!v.is_object()) {
            fail(value_at, "", "each value must be an object {\"key\": …, \"name\": …}");
        }
        check_members(v, {"key", "name"}, unknown, value_at);
        if (!v.contains("key") || !(v["key"].is_string() || v["key"].is_number())) {
            fail(value_at, "key", "each value needs a key (a string or a number)");
        }
        AttributeValue value;
        value.key = v["key"].is_string() ? v["key"].get<std::string>() : v["key"].dump();
        value.name = localized(v, "name", value_at);
        if (!keys.insert(value.key).second) {
            fail(value_at, "key", "duplicate value key '" + value.key + "'");
        }
        out.push_back(std::move(value));
    }
    return out;
}

Attribute parse_attribute(const nlohmann::json& o, UnknownMembers unknown, Where at) {
    if (!o.is_object()) {
        fail(at, "", "each attribute must be an object");
    }
    Attribute a;
    a.code = optional_string(o, "code", at);
    if (a.code.empty() || !valid_code(a.code)) {
        fail(at, "code", "attribute code must be letters, digits, '-', '_' or '.'");
    }
    at.label += " attribute " + a.code;
    check_members(o,
                  {"code",
                   "variable",
                   "datatype",
                   "required",
                   "order",
                   "description",
                   "datatype_description",
                   "automated",
                   "values"},
                  unknown,
                  at);
    a.variable = optional_bool(o, "variable", true, at);
    auto datatype = datatype_from(optional_string(o, "datatype", at));
    if (!datatype) {
        fail(at,
             "datatype",
             "must be string, number, datetime, text, singlevaluelist or multivaluelist");
    }
    a.datatype = *datatype;
    a.required = optional_bool(o, "required", false, at);
    if (!o.contains("order") || !o["order"].is_number_integer() || o["order"].get<double>() < 1 ||
        o["order"].get<double>() > 1000000) {
        fail(at, "order", "must be a whole number from 1 to 1000000");
    }
    a.order = o["order"].get<int>();
    a.description = localized(o, "description", at);
    a.datatype_description = localized(o, "datatype_description", at);
    a.automated = optional_string(o, "automated", at);
    if (!a.automated.empty() && a.automated != "hidden_field" && a.automated != "server_set") {
        fail(at, "automated", "must be hidden_field or server_set when given");
    }
    a.values = parse_values(o, unknown, at);
    const bool list =
        a.datatype == Datatype::singlevaluelist || a.datatype == Datatype::multivaluelist;
    if (list && a.values.empty()) {
        fail(at, "values", "a list datatype needs values");
    }
    return a;
}

ServiceTranslation parse_translation(const std::string& locale,
                                     const nlohmann::json& t,
                                     UnknownMembers unknown,
                                     const Where& service_at) {
    const Where at{service_at.label + " translations." + locale, "translations." + locale};
    if (locale.size() != 2 || !t.is_object()) {
        fail(service_at, at.path, "expected a two-letter locale with an object");
    }
    check_members(t, {"service_name", "description", "keywords", "group"}, unknown, at);
    ServiceTranslation tr;
    tr.name = optional_string(t, "service_name", at);
    tr.description = optional_string(t, "description", at);
    if (t.contains("keywords") && t["keywords"].is_array()) {
        for (const auto& k : t["keywords"]) {
            if (!k.is_string()) {
                fail(at, "keywords", "must be a string or an array of strings");
            }
            tr.keywords += (tr.keywords.empty() ? "" : ",") + k.get<std::string>();
        }
    } else {
        tr.keywords = optional_string(t, "keywords", at);
    }
    tr.group = optional_string(t, "group", at);
    if (tr.name.empty()) {
        fail(at, "service_name", "is required");
    }
    return tr;
}

}  // namespace

Service parse_service(const nlohmann::json& o, UnknownMembers unknown) {
    if (!o.is_object()) {
        throw CatalogueError("service", "", "each service must be an object");
    }
    Service s;
    s.code = optional_string(o, "service_code", Where{"service", ""});
    if (!valid_code(s.code)) {
        fail(Where{"service '" + s.code + "'", ""},
             "service_code",
             "must be dot-separated levels of letters, digits, '-' or '_' (at most 64 "
             "characters)");
    }
    const Where at{"service " + s.code, ""};
    check_members(o, {"service_code", "type", "active", "translations", "attributes"}, unknown, at);
    auto type = service_type_from(o.contains("type") ? optional_string(o, "type", at) : "realtime");
    if (!type) {
        fail(at, "type", "must be realtime, batch or blackbox");
    }
    s.type = *type;
    s.active = optional_bool(o, "active", true, at);
    if (!o.contains("translations") || !o["translations"].is_object() ||
        o["translations"].empty()) {
        fail(at,
             "translations",
             "must be an object of locale → {service_name, description, keywords, group}");
    }
    for (const auto& [locale, t] : o["translations"].items()) {
        s.translations[locale] = parse_translation(locale, t, unknown, at);
    }
    if (o.contains("attributes") && !o["attributes"].is_null()) {
        if (!o["attributes"].is_array()) {
            fail(at, "attributes", "must be an array");
        }
        std::set<std::string> codes;
        std::set<int> orders;
        for (std::size_t i = 0; i < o["attributes"].size(); ++i) {
            const Where attribute_at{at.label, "attributes[" + std::to_string(i) + "]"};
            auto attribute = parse_attribute(o["attributes"][i], unknown, attribute_at);
            if (!codes.insert(attribute.code).second) {
                fail(attribute_at, "code", "duplicate attribute code '" + attribute.code + "'");
            }
            if (!orders.insert(attribute.order).second) {
                fail(attribute_at,
                     "order",
                     "attribute order " + std::to_string(attribute.order) + " is used twice");
            }
            s.attributes.push_back(std::move(attribute));
        }
        std::sort(s.attributes.begin(),
                  s.attributes.end(),
                  [](const Attribute& x, const Attribute& y) { return x.order < y.order; });
    }
    return s;
}

std::vector<Service> parse_catalogue(const std::string& json_text) {
    auto root = nlohmann::json::parse(json_text, nullptr, false);
    if (root.is_discarded()) {
        throw CatalogueError("the catalogue is not valid JSON");
    }
    if (!root.is_object() || !root.contains("services") || !root["services"].is_array()) {
        throw CatalogueError("the catalogue must be an object with a \"services\" array");
    }
    std::vector<Service> out;
    std::set<std::string> codes;
    for (const auto& item : root["services"]) {
        auto s = parse_service(item);
        if (!codes.insert(s.code).second) {
            throw CatalogueError("service " + s.code, "service_code", "appears twice");
        }
        out.push_back(std::move(s));
    }
    return out;
}

nlohmann::ordered_json catalogue_to_json(const std::vector<Service>& services) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& s : services) {
        list.push_back(service_to_json(s));
    }
    return {{"services", std::move(list)}};
}

nlohmann::ordered_json service_to_json(const Service& s) {
    nlohmann::ordered_json o;
    o["service_code"] = s.code;
    o["type"] = to_string(s.type);
    o["active"] = s.active;
    auto translations = nlohmann::ordered_json::object();
    for (const auto& [locale, t] : s.translations) {
        translations[locale] = {{"service_name", t.name},
                                {"description", t.description},
                                {"keywords", t.keywords},
                                {"group", t.group}};
    }
    o["translations"] = std::move(translations);
    auto attributes = nlohmann::ordered_json::array();
    for (const auto& a : s.attributes) {
        nlohmann::ordered_json j;
        j["code"] = a.code;
        j["variable"] = a.variable;
        j["datatype"] = to_string(a.datatype);
        j["required"] = a.required;
        j["order"] = a.order;
        j["description"] = a.description;
        j["datatype_description"] = a.datatype_description;
        if (!a.automated.empty()) {
            j["automated"] = a.automated;
        }
        if (!a.values.empty()) {
            auto values = nlohmann::ordered_json::array();
            for (const auto& v : a.values) {
                values.push_back({{"key", v.key}, {"name", v.name}});
            }
            j["values"] = std::move(values);
        }
        attributes.push_back(std::move(j));
    }
    o["attributes"] = std::move(attributes);
    return o;
}

}  // namespace open311::catalogue
