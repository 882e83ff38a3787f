#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace open311::form {

/// Decoded name/value pairs of a query string or form body, in order, repeats kept.
class Params {
public:
    void add(std::string name, std::string value) {
        items_.emplace_back(std::move(name), std::move(value));
    }
    /// The first non-empty value; an empty parameter counts as absent (GeoReport v2 "Optional").
    std::optional<std::string> get(std::string_view name) const;
    /// True when the parameter is present at all, even empty.
    bool has(std::string_view name) const;
    /// Every non-empty value of `name`, in order.
    std::vector<std::string> all(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
    void merge(const Params& other) {
        items_.insert(items_.end(), other.items_.begin(), other.items_.end());
    }

private:
    std::vector<std::pair<std::string, std::string>> items_;
};

/// Percent-decodes `text`; `plus_is_space` for query strings and form bodies.
/// Malformed escapes are kept as they are.
std::string percent_decode(std::string_view text, bool plus_is_space);

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);

/// Decodes application/x-www-form-urlencoded text (also used for query strings).
Params parse_form(std::string_view text);

/// One file part of a multipart body.
struct FilePart {
    std::string field;         ///< form field name, e.g. "media" or "media[]"
    std::string filename;      ///< as sent by the client; never used as a path
    std::string content_type;  ///< as declared; not trusted
    std::string data;
};

/// The parts of a multipart/form-data body: text fields and files.
struct MultipartBody {
    Params fields;
    std::vector<FilePart> files;
};

/// Parses multipart/form-data; nullopt when the body or the boundary is malformed.
std::optional<MultipartBody> parse_multipart(std::string_view body, std::string_view content_type);

/// The value of a parameter of a header such as `multipart/form-data; boundary=x`.
std::optional<std::string> header_parameter(std::string_view header, std::string_view name);

}  // namespace open311::form
