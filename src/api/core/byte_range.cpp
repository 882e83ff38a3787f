#include "api/core/byte_range.hpp"

#include <charconv>

namespace open311::api {

namespace {

std::optional<std::uint64_t> number(std::string_view text) {
    std::uint64_t value = 0;
    if (text.empty()) {
        return std::nullopt;
    }
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || ptr != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::string_view trim_spaces(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    return text;
}

}  // namespace

RangeRequest parse_range(std::string_view header, std::uint64_t size) {
    RangeRequest whole;
    header = trim_spaces(header);
    constexpr std::string_view kUnit = "bytes=";
    if (header.size() <= kUnit.size() || header.substr(0, kUnit.size()) != kUnit ||
        header.find(',') != std::string_view::npos) {
        return whole;
    }
    const auto spec = trim_spaces(header.substr(kUnit.size()));
    const auto dash = spec.find('-');
    if (dash == std::string_view::npos) {
        return whole;
    }
    const auto first_text = spec.substr(0, dash);
    const auto last_text = spec.substr(dash + 1);
    RangeRequest out;
    out.kind = RangeRequest::Kind::partial;
    if (first_text.empty()) {  // suffix: the last N bytes
        auto suffix = number(last_text);
        if (!suffix) {
            return whole;
        }
        if (*suffix == 0 || size == 0) {
            out.kind = RangeRequest::Kind::unsatisfiable;
            return out;
        }
        out.range = {*suffix >= size ? 0 : size - *suffix, size - 1};
        return out;
    }
    auto first = number(first_text);
    if (!first) {
        return whole;
    }
    std::uint64_t last = size == 0 ? 0 : size - 1;
    if (!last_text.empty()) {
        auto given = number(last_text);
        if (!given || *given < *first) {
            return whole;  // syntactically invalid: ignored
        }
        last = std::min(*given, last);
    }
    if (*first >= size) {
        out.kind = RangeRequest::Kind::unsatisfiable;
        return out;
    }
    out.range = {*first, last};
    return out;
}

}  // namespace open311::api
