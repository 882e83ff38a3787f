#pragma once

#include <cstdint>

namespace open311 {

/// An instant in whole seconds since the Unix epoch (UTC). Stored and compared as such;
/// formatted only in format/datetime.
using Timestamp = std::int64_t;

/// The current time.
Timestamp now();

}  // namespace open311
