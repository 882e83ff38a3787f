#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace open311 {

/// The names of an enumeration whose values run 0, 1, 2, … in declaration order: one table
/// gives both directions, so a name is written once. An out-of-range value reads as the
/// first name (the enumerations put their default first).
template <typename Enum, std::size_t N>
class EnumNames final {
public:
    constexpr explicit EnumNames(std::array<const char*, N> names) : names_(names) {}

    const char* name(Enum value) const {
        const auto i = static_cast<std::size_t>(value);
        return i < N ? names_[i] : names_[0];
    }

    std::optional<Enum> parse(std::string_view text) const {
        for (std::size_t i = 0; i < N; ++i) {
            if (text == names_[i]) {
                return static_cast<Enum>(i);
            }
        }
        return std::nullopt;
    }

private:
    std::array<const char*, N> names_;
};

}  // namespace open311
