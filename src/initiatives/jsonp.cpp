// JSONP callback validation. The callback is written in front of the answer as script, so
// it is checked against a strict grammar (a JavaScript identifier path) rather than escaped.
#include "initiatives/jsonp.hpp"

#include <array>
#include <cstdint>
#include <cwctype>
#include <locale.h>
#include <optional>
#include <string>

namespace open311::initiatives {
namespace {

/// JavaScript's reserved words (ECMAScript and the older future-reserved ones): none may be a
/// part of the path, where a browser would read it as a keyword.
constexpr std::string_view kReserved[] = {
    "abstract",  "arguments",    "await",      "boolean", "break",    "byte",       "case",
    "catch",     "char",         "class",      "const",   "continue", "debugger",   "default",
    "delete",    "do",           "double",     "else",    "enum",     "eval",       "export",
    "extends",   "false",        "final",      "finally", "float",    "for",        "function",
    "goto",      "if",           "implements", "import",  "in",       "instanceof", "int",
    "interface", "let",          "long",       "native",  "new",      "null",       "package",
    "private",   "protected",    "public",     "return",  "short",    "static",     "super",
    "switch",    "synchronized", "this",       "throw",   "throws",   "transient",  "true",
    "try",       "typeof",       "var",        "void",    "volatile", "while",      "with",
    "yield"};

bool reserved(std::string_view word) {
    for (auto r : kReserved) {
        if (r == word) {
            return true;
        }
    }
    return false;
}

/// The C.UTF-8 locale's character classes, which cover Unicode letters of every script;
/// null when the locale is missing (then only ASCII letters count).
locale_t utf8_locale() {
    static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    return loc;
}

bool is_letter(char32_t c) {
    if (c < 0x80) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }
    const locale_t loc = utf8_locale();
    return loc != static_cast<locale_t>(nullptr) && iswalpha_l(static_cast<wint_t>(c), loc) != 0;
}

/// Decodes one UTF-8 character at `pos` (advancing it); nullopt for an invalid sequence
/// (overlong forms, surrogates and values above U+10FFFF included).
std::optional<char32_t> next_char(std::string_view s, std::size_t& pos) {
    const auto b0 = static_cast<unsigned char>(s[pos]);
    int extra = 0;
    char32_t c = 0;
    if (b0 < 0x80) {
        ++pos;
        return b0;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
        extra = 1;
        c = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        extra = 2;
        c = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        extra = 3;
        c = b0 & 0x07;
    } else {
        return std::nullopt;
    }
    if (pos + static_cast<std::size_t>(extra) >= s.size()) {
        return std::nullopt;
    }
    for (int i = 1; i <= extra; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + static_cast<std::size_t>(i)]);
        if ((b & 0xC0) != 0x80) {
            return std::nullopt;
        }
        c = (c << 6) | (b & 0x3F);
    }
    static constexpr std::array<char32_t, 4> kMin{0, 0x80, 0x800, 0x10000};
    if (c < kMin[static_cast<std::size_t>(extra)] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return std::nullopt;
    }
    pos += static_cast<std::size_t>(extra) + 1;
    return c;
}

}  // namespace

bool valid_jsonp_callback(std::string_view callback) {
    if (callback.empty() || callback.size() > kMaxCallbackBytes) {
        return false;
    }
    std::size_t pos = 0;
    for (;;) {
        // One part: a name, then any number of [digits] suffixes.
        const std::size_t start = pos;
        bool first = true;
        while (pos < callback.size() && callback[pos] != '.' && callback[pos] != '[') {
            const auto c = next_char(callback, pos);
            if (!c) {
                return false;
            }
            const bool ok =
                *c == '_' || *c == '$' || is_letter(*c) || (!first && *c >= '0' && *c <= '9');
            if (!ok) {
                return false;
            }
            first = false;
        }
        if (first || reserved(callback.substr(start, pos - start))) {
            return false;
        }
        while (pos < callback.size() && callback[pos] == '[') {
            const std::size_t digits = ++pos;
            while (pos < callback.size() && callback[pos] >= '0' && callback[pos] <= '9') {
                ++pos;
            }
            if (pos == digits || pos >= callback.size() || callback[pos] != ']') {
                return false;
            }
            ++pos;
        }
        if (pos == callback.size()) {
            return true;
        }
        if (callback[pos] != '.') {
            return false;  // a name may not follow an index without a dot
        }
        ++pos;
    }
}

}  // namespace open311::initiatives
