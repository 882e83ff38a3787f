#pragma once

#include "open311/store/store.hpp"

#include <cstddef>

namespace open311::initiatives {

/// Loads the demo initiatives (every type and state, public and not, sent and not, with
/// public and non-public authors) when the store has no initiative yet; returns how many it
/// loaded (0 when there were initiatives already). `serve --demo` and the sandbox call it.
std::size_t load_demo_initiatives(Store& store);

}  // namespace open311::initiatives
