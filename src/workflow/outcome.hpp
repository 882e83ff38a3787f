#pragma once

#include "open311/errors.hpp"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace open311::workflow {

/// The answer of a workflow action: what it produced, or every reason it did not happen.
/// Errors are data here as in the API: the caller renders them in its own format (JSON for
/// the staff API, HTML for the console). With a stale-version refusal, `current_version`
/// tells the caller which version the client should reload.
template <typename T>
struct Outcome {
    std::optional<T> value;
    std::vector<ApiError> errors;
    std::optional<std::int64_t> current_version;

    bool ok() const { return errors.empty(); }

    static Outcome done(T value) {
        Outcome o;
        o.value = std::move(value);
        return o;
    }
    static Outcome refused(ApiError error) {
        Outcome o;
        o.errors.push_back(std::move(error));
        return o;
    }
    static Outcome refused(std::vector<ApiError> errors) {
        Outcome o;
        o.errors = std::move(errors);
        return o;
    }
};

}  // namespace open311::workflow
