#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace open311::form {

/// Why a parameter could not be read as it was sent.
enum class Encoding : std::uint8_t {
    bad_escape,  ///< a '%' not followed by two hexadecimal digits (in its name or its value)
    not_utf8,    ///< its name or value is not valid UTF-8 once decoded
};

/// A parameter refused for its encoding; `name` is printable (valid UTF-8, no control
/// characters: other bytes are shown as %XX) and fit to quote in an error message.
struct MalformedParameter {
    std::string name;
    Encoding problem = Encoding::bad_escape;
};

/// Decoded name/value pairs of a query string or form body, in order, repeats kept.
/// It also remembers which parameters arrived malformed, so that the API can refuse them,
/// each by name, instead of reading something other than what the client meant.
class Params {
public:
    /// Adds a pair; a name or value that is not valid UTF-8 is recorded in `malformed()`.
    void add(std::string name, std::string value);
    /// The first non-empty value; an empty parameter counts as absent (GeoReport v2 "Optional").
    std::optional<std::string> get(std::string_view name) const;
    /// True when the parameter is present at all, even empty.
    bool has(std::string_view name) const;
    /// Every non-empty value of `name`, in order.
    std::vector<std::string> all(std::string_view name) const;
    const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }
    void merge(const Params& other);

    /// Records that parameter `name` arrived malformed. A name is recorded once (its first
    /// problem), and at most `kMaxMalformed` names are kept.
    void mark_malformed(std::string_view name, Encoding problem);
    /// The parameters refused for their encoding, in order; empty (and never allocated) for
    /// well-formed input.
    const std::vector<MalformedParameter>& malformed() const { return malformed_; }
    static constexpr std::size_t kMaxMalformed = 100;

private:
    std::vector<std::pair<std::string, std::string>> items_;
    std::vector<MalformedParameter> malformed_;
};

/// Percent-decodes `text`; `plus_is_space` for query strings and form bodies.
/// Malformed escapes ('%' not followed by two hex digits) are kept as they are and set
/// `malformed` (which is never reset).
std::string percent_decode(std::string_view text, bool plus_is_space, bool& malformed);
/// As above, for text where a malformed escape is not an error (e.g. the path, which is
/// routed as it is).
std::string percent_decode(std::string_view text, bool plus_is_space);

/// Percent-encodes everything but RFC 3986 unreserved characters.
std::string percent_encode(std::string_view text);

/// Decodes application/x-www-form-urlencoded text (also used for query strings). A pair whose
/// name or value holds a malformed escape or is not UTF-8 once decoded is kept as it is and
/// named in `malformed()`.
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
