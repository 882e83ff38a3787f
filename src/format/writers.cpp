// The two writers of the canonical tree (Spark convention, as in GeoReport v2 and FMS).
#include "format/document.hpp"

#include <pugixml.hpp>

#include <cstdint>
#include <sstream>
#include <string_view>
#include <unordered_map>

namespace open311::format {

std::string singular(const std::string& plural) {
    static const std::unordered_map<std::string, std::string> kSingulars = {
        {"services", "service"},
        {"service_requests", "request"},
        {"service_request_updates", "request_update"},
        {"errors", "error"},
        {"attributes", "attribute"},
        {"values", "value"},
        {"endpoints", "endpoint"},
        {"formats", "format"},
        {"media_urls", "media_url"},
        {"keywords", "keyword"},
    };
    if (auto it = kSingulars.find(plural); it != kSingulars.end()) {
        return it->second;
    }
    if (plural.size() > 1 && plural.back() == 's') {
        return plural.substr(0, plural.size() - 1);
    }
    return plural + "_item";
}

namespace {

/// Compact JSON; invalid UTF-8 becomes U+FFFD instead of an exception. Only the public API:
/// nlohmann's detail:: serializer would let us reserve the string, but it is not stable API
/// (and the large answers, request lists, are written by request_writer.cpp without a tree).
std::string dump(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

bool has_null(const nlohmann::ordered_json& value) {
    if (value.is_null()) {
        return true;
    }
    if (value.is_structured()) {
        for (const auto& member : value) {
            if (has_null(member)) {
                return true;
            }
        }
    }
    return false;
}

/// Every null in `value` becomes "" (EmptyValue::empty_string).
void blank_nulls(nlohmann::ordered_json& value) {
    if (value.is_null()) {
        value = "";
    } else if (value.is_structured()) {
        for (auto& member : value) {
            blank_nulls(member);
        }
    }
}

}  // namespace

std::string write_json(const Document& doc, const Profile& profile) {
    const bool as_object =
        (doc.shape == Shape::post_response && profile.post_response_json == JsonShape::object) ||
        (doc.shape == Shape::single_request && profile.single_request_json == JsonShape::object);
    const auto& body =
        as_object && doc.body.is_array() && doc.body.size() == 1 ? doc.body[0] : doc.body;
    if (profile.empty_value_json == EmptyValue::empty_string && has_null(body)) {
        auto blanked = body;
        blank_nulls(blanked);
        return dump(blanked);
    }
    return dump(body);
}

namespace {

// XML 1.0 cannot carry most control characters, U+FFFE/U+FFFF or invalid UTF-8 at all: such
// input becomes U+FFFD (as in the JSON writer) or is dropped, so the document stays well-formed.
std::string xml_safe(const std::string& text) {
    static constexpr std::string_view kReplacement = "\xEF\xBF\xBD";
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
                out += static_cast<char>(c);
            }
            ++i;
            continue;
        }
        std::size_t n = (c & 0xE0U) == 0xC0U   ? 2
                        : (c & 0xF0U) == 0xE0U ? 3
                        : (c & 0xF8U) == 0xF0U ? 4
                                               : 0;
        std::uint32_t cp = n == 2 ? (c & 0x1FU) : n == 3 ? (c & 0x0FU) : (c & 0x07U);
        bool ok = n != 0 && i + n <= text.size();
        for (std::size_t k = 1; ok && k < n; ++k) {
            const auto cc = static_cast<unsigned char>(text[i + k]);
            ok = (cc & 0xC0U) == 0x80U;
            cp = (cp << 6U) | (cc & 0x3FU);
        }
        ok = ok && !((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
                     cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF));
        if (!ok) {
            out += kReplacement;
            ++i;
            continue;
        }
        if (cp != 0xFFFE && cp != 0xFFFF) {
            out.append(text, i, n);
        }
        i += n;
    }
    return out;
}

void write_value(pugi::xml_node parent,
                 const std::string& name,
                 const nlohmann::ordered_json& value);

void write_members(pugi::xml_node node, const nlohmann::ordered_json& object) {
    for (const auto& [key, member] : object.items()) {
        write_value(node, key, member);
    }
}

void write_value(pugi::xml_node parent,
                 const std::string& name,
                 const nlohmann::ordered_json& value) {
    auto node = parent.append_child(name.c_str());
    if (value.is_null()) {
        // A field without a value is still there: written as an empty string is, <name></name>.
        node.text().set("");
    } else if (value.is_object()) {
        write_members(node, value);
    } else if (value.is_array()) {
        const std::string item_name = singular(name);
        for (const auto& item : value) {
            if (item.is_object()) {
                write_members(node.append_child(item_name.c_str()), item);
            } else {
                write_value(node, item_name, item);
            }
        }
    } else if (value.is_string()) {
        node.text().set(xml_safe(value.get_ref<const std::string&>()).c_str());
    } else if (value.is_boolean()) {
        node.text().set(value.get<bool>() ? "true" : "false");
    } else {
        node.text().set(value.dump().c_str());
    }
}

}  // namespace

std::string write_xml(const Document& doc) {
    pugi::xml_document xml;
    auto decl = xml.append_child(pugi::node_declaration);
    decl.append_attribute("version") = "1.0";
    decl.append_attribute("encoding") = "utf-8";
    auto root = xml.append_child(doc.root.c_str());
    if (doc.body.is_array()) {
        const std::string item_name = singular(doc.root);
        for (const auto& item : doc.body) {
            if (item.is_object()) {
                write_members(root.append_child(item_name.c_str()), item);
            } else {
                write_value(root, item_name, item);
            }
        }
    } else if (doc.body.is_object()) {
        write_members(root, doc.body);
    }
    std::ostringstream out;
    xml.save(out, "", pugi::format_raw, pugi::encoding_utf8);
    std::string text = out.str();
    // A raw CR would be normalised away by every XML parser; escape it so CRLF line breaks
    // in descriptions survive (the raw format writes no line breaks of its own).
    if (text.find('\r') != std::string::npos) {
        std::string escaped;
        escaped.reserve(text.size() + 64);
        for (char c : text) {
            if (c == '\r') {
                escaped += "&#13;";
            } else {
                escaped += c;
            }
        }
        text = std::move(escaped);
    }
    return text;
}

}  // namespace open311::format
