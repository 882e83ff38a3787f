#pragma once

#include "open311/domain/time.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace open311::format {

/// W3C datetime in UTC: "2010-01-01T00:00:00Z" (no fractional seconds, as clients need).
std::string to_w3c(Timestamp t);

/// Parses "YYYY-MM-DDTHH:MM:SS" (optional fraction) followed by "Z" or "±HH:MM".
/// A datetime without an offset is refused (nullopt).
std::optional<Timestamp> parse_w3c(std::string_view text);

/// Parses "YYYY-MM-DD" as a calendar date; returns the first second of the following day (UTC),
/// which is the first instant at which something valid "through that day" stops being valid.
std::optional<Timestamp> end_of_day(std::string_view date);

/// The date part of `t` in UTC: "YYYY-MM-DD".
std::string to_date(Timestamp t);

}  // namespace open311::format
