#pragma once

#include "open311/config.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace open311::format {

/// Output formats of the public API.
enum class Format { xml, json };

/// Which profile policy, if any, shapes a document that holds a one-element collection.
enum class Shape {
    plain,           ///< written as built
    post_response,   ///< POST requests/tokens answer: Profile::post_response_json
    single_request,  ///< GET requests/{id}: Profile::single_request_json
};

/// The canonical tree of a response, read by both writers, so JSON and XML cannot drift.
/// `body` keeps the element order of the specification (ordered_json). An array means
/// "collection"; its XML elements are named by the singular of its key (or of `root`).
/// A null value is a field without a value: it is written as the profile's empty value in
/// JSON (Profile::empty_value_json: "" or null) and as an empty element in XML. A field that
/// is left out on purpose is not in the tree at all.
struct Document {
    std::string root;
    nlohmann::ordered_json body;
    Shape shape = Shape::plain;
};

/// The element name of one item of the collection named `plural`.
std::string singular(const std::string& plural);

/// Spark rule 1: drop the root wrapper. One-element collections follow the profile's shape,
/// nulls its empty value.
std::string write_json(const Document& doc, const Profile& profile);
/// Spark rule 2: UTF-8 declaration, then the root element, arrays wrapped in singular elements;
/// a null is an empty element (`<name></name>`), as an empty string is.
std::string write_xml(const Document& doc);
/// Content-Type of a format, with the charset.
constexpr const char* content_type(Format format) {
    return format == Format::json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8";
}

}  // namespace open311::format
