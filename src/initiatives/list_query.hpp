#pragma once

#include "form/params.hpp"
#include "initiatives/documents.hpp"

#include "open311/domain/initiative.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace open311::initiatives {

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 50;

/// A problem with one query parameter.
struct ParamError {
    std::string parameter;
    std::string description;
};

/// The list query as read from the parameters, with every problem found.
struct ListQuery {
    InitiativeQuery query;
    std::vector<ParamError> errors;
};

/// Reads offset, limit (capped at kMaxLimit), municipality and orderBy. An empty value counts
/// as absent (as in the reference service); anything else that is not a whole number ≥ 0, an
/// unknown municipality or orderBy, is an error naming its parameter.
ListQuery read_list_query(const form::Params& params, const Municipalities& municipalities);

/// The orderBy names, in the order the documentation lists them.
const std::vector<std::pair<std::string_view, InitiativeOrder>>& order_names();

/// A path id: digits without leading zeros, from 1 to kMaxInitiativeId; nullopt otherwise.
std::optional<std::int64_t> path_id(std::string_view text);

}  // namespace open311::initiatives
