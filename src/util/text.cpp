#include "util/text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

namespace open311 {
namespace {

// Length of the UTF-8 white space character at `i`, or 0.
std::size_t space_at(std::string_view s, std::size_t i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        return 1;
    }
    auto starts = [&](std::string_view seq) {
        return s.substr(i, seq.size()) == seq;
    };
    if (starts("\xC2\xA0")) {  // NO-BREAK SPACE
        return 2;
    }
    if (starts("\xE3\x80\x80") || starts("\xE2\x80\xAF") || starts("\xE2\x81\x9F")) {
        return 3;
    }
    if (starts("\xE2\x80") && i + 2 < s.size()) {  // U+2000..U+200B, U+2028, U+2029
        auto c3 = static_cast<unsigned char>(s[i + 2]);
        if ((c3 >= 0x80 && c3 <= 0x8B) || c3 == 0xA8 || c3 == 0xA9) {
            return 3;
        }
    }
    if (starts("\xEF\xBB\xBF")) {  // BOM / ZERO WIDTH NO-BREAK SPACE
        return 3;
    }
    return 0;
}

}  // namespace

std::string trim(std::string_view text) {
    std::size_t begin = 0;
    while (begin < text.size()) {
        auto n = space_at(text, begin);
        if (n == 0) {
            break;
        }
        begin += n;
    }
    std::size_t end = text.size();
    while (end > begin) {
        // Find the start of the last character and test it.
        std::size_t start = end - 1;
        while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0U) == 0x80U) {
            --start;
        }
        auto n = space_at(text, start);
        if (n == 0 || start + n != end) {
            break;
        }
        end = start;
    }
    return std::string(text.substr(begin, end - begin));
}

std::optional<std::size_t> utf8_length(std::string_view s) {
    std::size_t count = 0;
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        std::size_t n = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            n = 1;
            cp = c;
        } else if ((c & 0xE0U) == 0xC0U) {
            n = 2;
            cp = c & 0x1FU;
        } else if ((c & 0xF0U) == 0xE0U) {
            n = 3;
            cp = c & 0x0FU;
        } else if ((c & 0xF8U) == 0xF0U) {
            n = 4;
            cp = c & 0x07U;
        } else {
            return std::nullopt;
        }
        if (i + n > s.size()) {
            return std::nullopt;
        }
        for (std::size_t k = 1; k < n; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0U) != 0x80U) {
                return std::nullopt;
            }
            cp = (cp << 6U) | (cc & 0x3FU);
        }
        // Reject overlong forms, surrogates and values beyond U+10FFFF.
        if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
            cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return std::nullopt;
        }
        i += n;
        ++count;
    }
    return count;
}

bool is_valid_utf8(std::string_view text) {
    return utf8_length(text).has_value();
}

namespace {

bool is_known_element(std::string_view name) {
    static const std::vector<std::string_view> kElements = {
        "a",      "abbr",   "b",      "big",      "blockquote", "body",  "br",    "button",
        "center", "code",   "div",    "em",       "embed",      "font",  "form",  "frame",
        "h1",     "h2",     "h3",     "h4",       "h5",         "h6",    "head",  "hr",
        "html",   "i",      "iframe", "img",      "input",      "label", "li",    "link",
        "meta",   "object", "ol",     "option",   "p",          "pre",   "s",     "script",
        "select", "small",  "span",   "strong",   "style",      "sub",   "sup",   "svg",
        "table",  "tbody",  "td",     "textarea", "th",         "thead", "title", "tr",
        "u",      "ul",     "video",  "audio",    "source",     "base",  "math",  "template"};
    const std::string lower = to_lower(name);
    return std::find(kElements.begin(), kElements.end(), lower) != kElements.end();
}

}  // namespace

bool contains_html(std::string_view s) {
    for (std::size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] != '<') {
            continue;
        }
        std::size_t j = i + 1;
        if (s.substr(j, 3) == "!--") {
            return true;
        }
        const bool closing = s[j] == '/';
        if (closing || s[j] == '!' || s[j] == '?') {
            ++j;
        }
        if (j >= s.size() || std::isalpha(static_cast<unsigned char>(s[j])) == 0) {
            continue;  // "a < b", "<3" are plain text
        }
        const std::size_t name_start = j;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) != 0 ||
                                s[j] == '-' || s[j] == '_')) {
            ++j;
        }
        const std::string_view name = s.substr(name_start, j - name_start);
        if (j >= s.size()) {
            continue;
        }
        // <b>, </p>, <br/>: a name closed at once is a tag.
        if (s[j] == '>' || (s[j] == '/' && j + 1 < s.size() && s[j + 1] == '>')) {
            return true;
        }
        // <script src=x>, <img onerror=...>: a tag with attributes, on one line, when the name
        // is an HTML element or the attributes have values. "a<b and c>d" stays plain text
        // unless b is followed by '='.
        if (!closing && std::isspace(static_cast<unsigned char>(s[j])) != 0) {
            const auto end = s.find_first_of("<>\n", j);
            if (end != std::string_view::npos && s[end] == '>') {
                const auto attributes = s.substr(j, end - j);
                if (attributes.find('=') != std::string_view::npos ||
                    (is_known_element(name) && name.size() > 1)) {
                    return true;
                }
            }
        }
    }
    return false;
}

bool contains_control(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) {
            return true;
        }
        // U+FFFE and U+FFFF (EF BF BE / EF BF BF) are not characters.
        if (c == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBF &&
            (static_cast<unsigned char>(s[i + 2]) == 0xBE ||
             static_cast<unsigned char>(s[i + 2]) == 0xBF)) {
            return true;
        }
    }
    return false;
}

std::string shorten(std::string_view text, std::size_t max_chars) {
    auto first_line = trim(text.substr(0, text.find_first_of("\r\n")));
    const bool more_lines = text.find_first_of("\r\n") != std::string_view::npos &&
                            !trim(text.substr(text.find_first_of("\r\n"))).empty();
    // Byte offset of each code point, to cut between characters, never inside one.
    std::vector<std::size_t> starts;
    for (std::size_t i = 0; i < first_line.size(); ++i) {
        if ((static_cast<unsigned char>(first_line[i]) & 0xC0U) != 0x80U) {
            starts.push_back(i);
        }
    }
    if (starts.size() <= max_chars) {
        return more_lines ? first_line + "…" : first_line;
    }
    std::size_t cut = starts[max_chars - 1];  // room for the ellipsis
    const auto space = first_line.rfind(' ', cut);
    if (space != std::string::npos && space > cut / 2) {
        cut = space;
    }
    return trim(std::string_view(first_line).substr(0, cut)) + "…";
}

std::string to_lower(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    return out;
}

std::vector<std::string> split_nonempty(std::string_view text, char separator) {
    std::vector<std::string> out;
    for_each_piece(text, std::string_view(&separator, 1), [&out](std::string_view piece) {
        if (!piece.empty()) {
            out.emplace_back(piece);
        }
    });
    return out;
}

std::vector<std::string> split_list(std::string_view text, char separator) {
    std::vector<std::string> out;
    for (const auto& part : split_nonempty(text, separator)) {
        auto trimmed = trim(part);
        if (!trimmed.empty()) {
            out.push_back(std::move(trimmed));
        }
    }
    return out;
}

std::optional<double> parse_decimal(std::string_view text) {
    if (text.empty() || text.size() > 64) {
        return std::nullopt;
    }
    std::size_t i = 0;
    if (text[i] == '-' || text[i] == '+') {
        ++i;
    }
    std::size_t digits = 0;
    bool dot = false;
    for (std::size_t k = i; k < text.size(); ++k) {
        if (std::isdigit(static_cast<unsigned char>(text[k])) != 0) {
            ++digits;
        } else if (text[k] == '.' && !dot) {
            dot = true;
        } else {
            return std::nullopt;
        }
    }
    if (digits == 0) {
        return std::nullopt;
    }
    std::string_view body = text.substr(text[0] == '+' ? 1 : 0);
    double value = 0;
    auto [ptr, ec] = std::from_chars(body.data(), body.data() + body.size(), value);
    if (ec != std::errc{} || ptr != body.data() + body.size() || !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

std::optional<long long> parse_integer(std::string_view text) {
    long long value = 0;
    if (text.empty() || text.size() > 18) {
        return std::nullopt;
    }
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size() || value < 0) {
        return std::nullopt;
    }
    return value;
}

}  // namespace open311
