// Public requests written without a tree. The member order, null handling, number format and
// escaping follow format/trees.cpp (public_request) and format/writers.cpp exactly; the tree
// path stays the reference and request_writer_test holds the two together.
#include "format/request_writer.hpp"

#include "format/datetime.hpp"

#include <nlohmann/json.hpp>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>

namespace open311::format {
namespace {

/// The length of the valid UTF-8 sequence starting at the non-ASCII byte `p` (no overlong
/// forms, surrogates or code points past U+10FFFF), or 0. `xml`: also 0 for U+FFFE and
/// U+FFFF, which XML 1.0 cannot carry.
std::size_t sequence_length(const char* p, const char* end, bool xml) {
    const auto c = static_cast<unsigned char>(*p);
    const std::size_t n = (c & 0xE0U) == 0xC0U   ? 2
                          : (c & 0xF0U) == 0xE0U ? 3
                          : (c & 0xF8U) == 0xF0U ? 4
                                                 : 0;
    if (n == 0 || static_cast<std::size_t>(end - p) < n) {
        return 0;
    }
    std::uint32_t cp = n == 2 ? (c & 0x1FU) : n == 3 ? (c & 0x0FU) : (c & 0x07U);
    for (std::size_t k = 1; k < n; ++k) {
        const auto cc = static_cast<unsigned char>(p[k]);
        if ((cc & 0xC0U) != 0x80U) {
            return 0;
        }
        cp = (cp << 6U) | (cc & 0x3FU);
    }
    if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
        cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF) ||
        (xml && (cp == 0xFFFE || cp == 0xFFFF))) {
        return 0;
    }
    return n;
}

/// True when none of the 8 bytes at `p` is below 0x20, 0x80 or above, or one of `a`, `b`, `c`
/// (bytes that need a look): the common case of a run of plain ASCII text, 8 bytes a step.
bool plain_word(const char* p, unsigned char a, unsigned char b, unsigned char c) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    std::uint64_t x = 0;
    std::memcpy(&x, p, sizeof x);
    auto has_zero = [](std::uint64_t v) {
        return (v - kOnes) & ~v & kHighs;
    };
    const std::uint64_t below_space = (x - kOnes * 0x20) & ~x & kHighs;
    return ((x & kHighs) | below_space | has_zero(x ^ (kOnes * a)) | has_zero(x ^ (kOnes * b)) |
            has_zero(x ^ (kOnes * c))) == 0;
}

/// Thrown (and caught below) when a text needs the tree path's repairs.
struct NotPlain {};

/// The number as nlohmann's serializer writes it (shortest round trip, ".0" on integers).
void append_number(std::string& out, double value) {
    if (!std::isfinite(value)) {
        out += "null";
        return;
    }
    // Through nlohmann's public dump(), so that the number is written exactly as the tree path
    // writes it; a coordinate fits the string's small buffer, so nothing is allocated.
    out += nlohmann::json(value).dump();
}

class JsonOut {
public:
    /// `empty`: how a member without a value is written (Profile::empty_value_json).
    JsonOut(std::string& out, EmptyValue empty)
        : out_(out), empty_(empty == EmptyValue::null ? "null" : "\"\"") {}

    void string(std::string_view text) {
        static constexpr char kHex[] = "0123456789abcdef";
        out_ += '"';
        const char* p = text.data();
        const char* const end = p + text.size();
        const char* run = p;
        while (p < end) {
            if (end - p >= 8 && plain_word(p, '"', '\\', '"')) {
                p += 8;
                continue;
            }
            const auto c = static_cast<unsigned char>(*p);
            if (c >= 0x80) {
                const std::size_t n = sequence_length(p, end, false);
                if (n == 0) {
                    throw NotPlain{};
                }
                p += n;
                continue;
            }
            if (c >= 0x20 && c != '"' && c != '\\') {
                ++p;
                continue;
            }
            out_.append(run, p);
            switch (c) {
                case '"':
                    out_ += "\\\"";
                    break;
                case '\\':
                    out_ += "\\\\";
                    break;
                case '\b':
                    out_ += "\\b";
                    break;
                case '\f':
                    out_ += "\\f";
                    break;
                case '\n':
                    out_ += "\\n";
                    break;
                case '\r':
                    out_ += "\\r";
                    break;
                case '\t':
                    out_ += "\\t";
                    break;
                default:
                    out_ += "\\u00";
                    out_ += kHex[c >> 4U];
                    out_ += kHex[c & 15U];
            }
            run = ++p;
        }
        out_.append(run, end);
        out_ += '"';
    }

    void key(const char* name) {
        out_ += first_ ? "\"" : ",\"";
        out_ += name;
        out_ += "\":";
        first_ = false;
    }
    void text_member(const char* name, std::string_view value) {
        key(name);
        string(value);
    }
    void optional_text_member(const char* name, const std::string* value) {
        key(name);
        if (value == nullptr) {
            out_ += empty_;
        } else {
            string(*value);
        }
    }
    void number_member(const char* name, const std::optional<double>& value) {
        key(name);
        if (value) {
            append_number(out_, *value);
        } else {
            out_ += empty_;
        }
    }
    void open_object() {
        out_ += '{';
        first_ = true;
    }
    void close_object() {
        out_ += '}';
        first_ = false;
    }
    void raw(std::string_view text) { out_ += text; }

private:
    std::string& out_;
    const char* empty_;
    bool first_ = true;
};

class XmlOut {
public:
    explicit XmlOut(std::string& out) : out_(out) {}

    void escaped(std::string_view text) {
        const char* p = text.data();
        const char* const end = p + text.size();
        const char* run = p;
        while (p < end) {
            if (end - p >= 8 && plain_word(p, '&', '<', '>')) {
                p += 8;
                continue;
            }
            const auto c = static_cast<unsigned char>(*p);
            if (c >= 0x80) {
                const std::size_t n = sequence_length(p, end, true);
                if (n == 0) {
                    throw NotPlain{};
                }
                p += n;
                continue;
            }
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                throw NotPlain{};  // XML 1.0 cannot carry it; the tree path drops it
            }
            const char* entity = c == '&'    ? "&amp;"
                                 : c == '<'  ? "&lt;"
                                 : c == '>'  ? "&gt;"
                                 : c == '\r' ? "&#13;"
                                             : nullptr;
            if (entity == nullptr) {
                ++p;
                continue;
            }
            out_.append(run, p);
            out_ += entity;
            run = ++p;
        }
        out_.append(run, end);
    }

    void open(const char* name) {
        out_ += '<';
        out_ += name;
        out_ += '>';
    }
    void close(const char* name) {
        out_ += "</";
        out_ += name;
        out_ += '>';
    }
    void empty(const char* name) {
        out_ += '<';
        out_ += name;
        out_ += "/>";
    }
    /// A text element; pugixml writes an element whose text is empty as <name></name>.
    void text_member(const char* name, std::string_view value) {
        open(name);
        escaped(value);
        close(name);
    }
    /// Empty when null (<name></name>), as the tree's XML writer writes a null.
    void optional_text_member(const char* name, const std::string* value) {
        text_member(name, value != nullptr ? std::string_view(*value) : std::string_view());
    }
    void number_member(const char* name, const std::optional<double>& value) {
        open(name);
        if (value) {
            append_number(out_, *value);
        }
        close(name);
    }

private:
    std::string& out_;
};

/// Writes the members of one public request in public_request's order.
template <typename Out>
void write_members(Out& out, const PublicRequestItem& item, bool extensions) {
    const ServiceRequest& r = *item.request;
    out.text_member("service_request_id", r.id);
    out.text_member("status", r.status);
    if (item.detail == Detail::partial) {
        out.text_member("service_name", *item.service_name);
        out.text_member("service_code", r.service_code);
        out.text_member("requested_datetime", to_w3c(r.requested_at));
        out.text_member("updated_datetime", to_w3c(r.updated_at));
        return;
    }
    out.text_member("status_notes", r.status_notes);
    out.text_member("service_name", *item.service_name);
    out.text_member("service_code", r.service_code);
    out.text_member("description", r.description);
    out.text_member("agency_responsible", r.agency_responsible);
    out.text_member("service_notice", r.service_notice);
    out.text_member("requested_datetime", to_w3c(r.requested_at));
    out.text_member("updated_datetime", to_w3c(r.updated_at));
    const std::string expected = r.expected_at ? to_w3c(*r.expected_at) : std::string();
    out.optional_text_member("expected_datetime", r.expected_at ? &expected : nullptr);
    out.text_member("address", r.address);
    out.text_member("address_id", r.address_id);
    out.text_member("zipcode", r.zipcode);
    out.number_member("lat", r.lat);
    out.number_member("long", r.lon);
    out.optional_text_member("media_url", r.media_urls.empty() ? nullptr : &r.media_urls.front());
    if (!extensions) {
        return;
    }
    if constexpr (std::is_same_v<Out, JsonOut>) {
        out.key("extended_attributes");
        out.open_object();
        out.text_member("title", r.title);
        out.text_member("service_object_id", r.service_object_id);
        out.text_member("service_object_type", r.service_object_type);
        out.optional_text_member("detailed_status",
                                 r.detailed_status.empty() ? nullptr : &r.detailed_status);
        out.key("media_urls");
        out.raw("[");
        for (std::size_t i = 0; i < r.media_urls.size(); ++i) {
            if (i > 0) {
                out.raw(",");
            }
            out.string(r.media_urls[i]);
        }
        out.raw("]");
        out.close_object();
    } else {
        out.open("extended_attributes");
        out.text_member("title", r.title);
        out.text_member("service_object_id", r.service_object_id);
        out.text_member("service_object_type", r.service_object_type);
        out.optional_text_member("detailed_status",
                                 r.detailed_status.empty() ? nullptr : &r.detailed_status);
        if (r.media_urls.empty()) {
            out.empty("media_urls");
        } else {
            out.open("media_urls");
            for (const auto& url : r.media_urls) {
                out.text_member("media_url", url);
            }
            out.close("media_urls");
        }
        out.close("extended_attributes");
    }
}

std::size_t estimate(const std::vector<PublicRequestItem>& items) {
    std::size_t bytes = 128;
    for (const auto& item : items) {
        bytes += 640 + item.request->description.size() + item.request->address.size();
    }
    return bytes;
}

}  // namespace

std::optional<std::string> write_public_requests(Format format,
                                                 const std::vector<PublicRequestItem>& items,
                                                 bool extensions,
                                                 bool single,
                                                 const Profile& profile) {
    std::string body;
    body.reserve(estimate(items));
    try {
        if (format == Format::json) {
            const bool as_object =
                single && profile.single_request_json == JsonShape::object && items.size() == 1;
            JsonOut out(body, profile.empty_value_json);
            if (!as_object) {
                body += '[';
            }
            for (std::size_t i = 0; i < items.size(); ++i) {
                if (i > 0) {
                    body += ',';
                }
                out.open_object();
                write_members(out, items[i], extensions);
                out.close_object();
            }
            if (!as_object) {
                body += ']';
            }
        } else {
            XmlOut out(body);
            body += "<?xml version=\"1.0\" encoding=\"utf-8\"?>";
            if (items.empty()) {
                out.empty("service_requests");
            } else {
                out.open("service_requests");
                for (const auto& item : items) {
                    out.open("request");
                    write_members(out, item, extensions);
                    out.close("request");
                }
                out.close("service_requests");
            }
        }
    } catch (const NotPlain&) {
        return std::nullopt;
    }
    return body;
}

}  // namespace open311::format
