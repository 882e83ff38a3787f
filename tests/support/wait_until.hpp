#pragma once

#include <chrono>
#include <functional>

namespace open311::test {

/// Polls `done` every 20 ms until it holds or `deadline` passes; returns its last value.
bool wait_until(const std::function<bool()>& done,
                std::chrono::milliseconds deadline = std::chrono::seconds(15));

}  // namespace open311::test
