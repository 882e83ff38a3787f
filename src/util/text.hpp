#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace open311 {

/// Removes white space (ASCII and the common Unicode spaces) at both ends.
std::string trim(std::string_view text);
/// Number of Unicode code points; nullopt when the text is not valid UTF-8.
std::optional<std::size_t> utf8_length(std::string_view text);
/// True when the text is valid UTF-8.
bool is_valid_utf8(std::string_view text);
/// True when the text contains an HTML/XML tag or comment such as <b>, </p>, <script …>, <!-- -->.
bool contains_html(std::string_view text);
/// True when the text holds a control character other than TAB, CR and LF, DEL, or one of
/// the noncharacters U+FFFE/U+FFFF: formatting no feedback text needs, and that XML cannot carry.
bool contains_control(std::string_view text);
/// The first line of `text`, cut at a word boundary to at most `max_chars` code points, with
/// "…" when something was cut. `text` must be valid UTF-8.
std::string shorten(std::string_view text, std::size_t max_chars);
/// ASCII lowercase.
std::string to_lower(std::string_view text);
/// Calls `fn` with each piece of `text` between occurrences of `separator` (views into `text`,
/// nothing copied), empty pieces included but none after a trailing separator.
template <typename Fn>
void for_each_piece(std::string_view text, std::string_view separator, Fn&& fn) {
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find(separator, start);
        if (end == std::string_view::npos) {
            end = text.size();
        }
        fn(text.substr(start, end - start));
        start = end + separator.size();
    }
}

/// The non-empty pieces of `text` between separators, as they are (not trimmed).
std::vector<std::string> split_nonempty(std::string_view text, char separator);

/// Splits at `separator`, trimming each part and dropping empty ones.
std::vector<std::string> split_list(std::string_view text, char separator = ',');
/// Strict decimal number (optional sign, digits, optional fraction); nullopt otherwise.
std::optional<double> parse_decimal(std::string_view text);
/// Strict non-negative integer.
std::optional<long long> parse_integer(std::string_view text);

}  // namespace open311
