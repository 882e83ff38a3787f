#pragma once

#include "open311/domain/time.hpp"

#include <mutex>
#include <optional>
#include <string_view>

namespace open311::sandbox {

/// The sandbox's clock: the time the server stamps on new requests and updates and uses for
/// date windows. It runs in real time from where it was started or last set. It drives now()
/// through the process-wide clock offset, so every part of the server reads the same time.
class SandboxClock final {
public:
    /// Starts at `start`, or at the system time when nullopt.
    explicit SandboxClock(std::optional<Timestamp> start);

    Timestamp now() const;
    /// The start of the UTC day the clock was started on: the seed's times hang from it.
    Timestamp start_day() const { return start_day_; }
    void set(Timestamp at);
    /// Moves the clock by `seconds` (negative: back).
    void advance(Timestamp seconds);
    /// Back to how it started: the system time, or the time given at start.
    void reset();

private:
    std::optional<Timestamp> start_;
    Timestamp start_day_ = 0;
    mutable std::mutex mutex_;
};

/// An ISO 8601 duration ("PT2H", "P1DT30M", "-P7D", "PT0.5S" is refused: whole seconds only)
/// in seconds; nullopt when the text is not one. Years and months are refused too: their
/// length depends on the date.
std::optional<Timestamp> parse_duration(std::string_view text);

}  // namespace open311::sandbox
