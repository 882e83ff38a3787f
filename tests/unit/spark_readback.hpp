#pragma once
// Test helpers: the inverse of the Spark rule, so that XML output can be compared with the
// canonical tree as parsed data, never as text.

#include "format/document.hpp"

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <string>
#include <vector>

namespace open311::testing {

/// Reads an XML element back: children all named singular(name) → array; other children →
/// object (member order kept); no element children → its text.
inline nlohmann::ordered_json read_back(const pugi::xml_node& node) {
    std::vector<pugi::xml_node> children;
    for (auto child : node.children()) {
        if (child.type() == pugi::node_element) {
            children.push_back(child);
        }
    }
    if (children.empty()) {
        return node.text().as_string();
    }
    const std::string item = format::singular(node.name());
    bool all_items = true;
    for (const auto& child : children) {
        all_items = all_items && item == child.name();
    }
    if (all_items) {
        auto array = nlohmann::ordered_json::array();
        for (const auto& child : children) {
            array.push_back(read_back(child));
        }
        return array;
    }
    auto object = nlohmann::ordered_json::object();
    for (const auto& child : children) {
        object[child.name()] = read_back(child);
    }
    return object;
}

/// What XML can carry of a JSON value: scalars become their text, a null (a field without a
/// value) is an empty element, and empty collections are indistinguishable from empty text.
inline nlohmann::ordered_json xml_view(const nlohmann::ordered_json& value) {
    if (value.is_object()) {
        auto out = nlohmann::ordered_json::object();
        for (const auto& [key, member] : value.items()) {
            out[key] = xml_view(member);
        }
        return out.empty() ? nlohmann::ordered_json("") : out;
    }
    if (value.is_array()) {
        auto out = nlohmann::ordered_json::array();
        for (const auto& item : value) {
            out.push_back(xml_view(item));
        }
        return out.empty() ? nlohmann::ordered_json("") : out;
    }
    if (value.is_null()) {
        return "";
    }
    if (value.is_string()) {
        return value;
    }
    if (value.is_boolean()) {
        return value.get<bool>() ? "true" : "false";
    }
    return value.dump();
}

/// What JSON writes of a tree under Profile::empty_value_json: with empty_string, every null
/// is "".
inline nlohmann::ordered_json json_view(nlohmann::ordered_json value, bool nulls_as_empty) {
    if (nulls_as_empty && value.is_null()) {
        return "";
    }
    if (value.is_structured()) {
        for (auto& member : value) {
            member = json_view(member, nulls_as_empty);
        }
    }
    return value;
}

/// Parses `xml` (failing the calling test on error) and returns the document.
inline pugi::xml_parse_result parse_xml(pugi::xml_document& doc, const std::string& xml) {
    return doc.load_buffer(xml.data(), xml.size(), pugi::parse_default | pugi::parse_declaration);
}

}  // namespace open311::testing
