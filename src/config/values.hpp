#pragma once

#include <charconv>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace open311::config {

/// Throws the ConfigError for a value that does not fit its setting: the message names the
/// key, the value as given and what was expected.
[[noreturn]] void invalid(const std::string& key, const std::string& value, const std::string& why);

/// A whole number from `min` to `max`; anything else (a sign, a fraction, trailing text) is an
/// error.
template <typename Int>
Int parse_integer(const std::string& key, const std::string& value, Int min, Int max) {
    Int out{};
    const auto* end = value.data() + value.size();
    auto [ptr, ec] = std::from_chars(value.data(), end, out);
    if (ec != std::errc{} || ptr != end || out < min || out > max) {
        invalid(
            key,
            value,
            "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
    }
    return out;
}

/// true/1/yes or false/0/no.
bool parse_bool(const std::string& key, const std::string& value);

/// A comma-separated list (a TOML array arrives joined with commas); items are trimmed and
/// empty ones dropped.
std::vector<std::string> parse_list(const std::string& value);

/// One of the names a setting accepts, and the value it stands for.
template <typename T>
struct Choice {
    std::string_view name;
    T value;
};

/// Choices whose value is their own name, for settings kept as text.
std::vector<Choice<std::string>> names(std::initializer_list<std::string_view> names);

/// The value of an enumerated setting: the one whose name is `value`. Any other text is an
/// error listing the names in the order given.
template <typename T>
T parse_choice(const std::string& key,
               const std::string& value,
               const std::vector<Choice<T>>& choices) {
    std::string list;
    for (const auto& choice : choices) {
        if (choice.name == value) {
            return choice.value;
        }
        list += (list.empty() ? "" : ", ") + std::string(choice.name);
    }
    invalid(key, value, "expected one of " + list);
}

}  // namespace open311::config
