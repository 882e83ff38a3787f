// The names of the initiative enumerations, as the API and the import file write them.
#include "open311/domain/initiative.hpp"

#include <array>
#include <utility>

namespace open311 {
namespace {

template <typename E, std::size_t N>
std::optional<E> lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                        std::string_view name) {
    for (const auto& [value, text] : table) {
        if (text == name) {
            return value;
        }
    }
    return std::nullopt;
}

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
    for (const auto& [v, text] : table) {
        if (v == value) {
            return text;
        }
    }
    return "";
}

constexpr std::array<std::pair<InitiativeType, std::string_view>, 3> kTypes{{
    {InitiativeType::single, "SINGLE"},
    {InitiativeType::collaborative, "COLLABORATIVE"},
    {InitiativeType::collaborative_citizen, "COLLABORATIVE_CITIZEN"},
}};
constexpr std::array<std::pair<InitiativeState, std::string_view>, 4> kStates{{
    {InitiativeState::draft, "DRAFT"},
    {InitiativeState::review, "REVIEW"},
    {InitiativeState::accepted, "ACCEPTED"},
    {InitiativeState::published, "PUBLISHED"},
}};
constexpr std::array<std::pair<FixState, std::string_view>, 3> kFixStates{{
    {FixState::fix, "FIX"},
    {FixState::review, "REVIEW"},
    {FixState::ok, "OK"},
}};

}  // namespace

std::string_view to_string(InitiativeType type) {
    return name_of(kTypes, type);
}
std::string_view to_string(InitiativeState state) {
    return name_of(kStates, state);
}
std::string_view to_string(FixState state) {
    return name_of(kFixStates, state);
}
std::optional<InitiativeType> initiative_type_from(std::string_view name) {
    return lookup(kTypes, name);
}
std::optional<InitiativeState> initiative_state_from(std::string_view name) {
    return lookup(kStates, name);
}
std::optional<FixState> fix_state_from(std::string_view name) {
    return lookup(kFixStates, name);
}

}  // namespace open311
