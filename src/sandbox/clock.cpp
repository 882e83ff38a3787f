#include "sandbox/clock.hpp"

#include <cctype>
#include <limits>

namespace open311::sandbox {
namespace {

/// The system time (callers hold the mutex, so the offset does not move in between).
Timestamp system_now() {
    return open311::now() - clock_offset();
}

}  // namespace

SandboxClock::SandboxClock(std::optional<Timestamp> start) : start_(start) {
    reset();
    const Timestamp t = now();
    start_day_ = t - ((t % 86400) + 86400) % 86400;
}

Timestamp SandboxClock::now() const {
    return open311::now();
}

void SandboxClock::set(Timestamp at) {
    std::lock_guard lock(mutex_);
    set_clock_offset(at - system_now());
}

void SandboxClock::advance(Timestamp seconds) {
    std::lock_guard lock(mutex_);
    set_clock_offset(clock_offset() + seconds);
}

void SandboxClock::reset() {
    if (start_) {
        set(*start_);
    } else {
        std::lock_guard lock(mutex_);
        set_clock_offset(0);
    }
}

std::optional<Timestamp> parse_duration(std::string_view text) {
    Timestamp sign = 1;
    if (!text.empty() && (text.front() == '-' || text.front() == '+')) {
        sign = text.front() == '-' ? -1 : 1;
        text.remove_prefix(1);
    }
    if (text.size() < 3 || text.front() != 'P') {
        return std::nullopt;
    }
    text.remove_prefix(1);
    bool in_time = false;
    bool any = false;
    Timestamp total = 0;
    constexpr Timestamp kLimit = Timestamp{100} * 366 * 86400;  // a century is plenty
    while (!text.empty()) {
        if (text.front() == 'T') {
            if (in_time) {
                return std::nullopt;
            }
            in_time = true;
            text.remove_prefix(1);
            if (text.empty()) {
                return std::nullopt;  // "P1DT" has a T with nothing after it
            }
            continue;
        }
        Timestamp number = 0;
        std::size_t digits = 0;
        while (digits < text.size() && std::isdigit(static_cast<unsigned char>(text[digits]))) {
            number = number * 10 + (text[digits] - '0');
            if (number > kLimit) {
                return std::nullopt;
            }
            ++digits;
        }
        if (digits == 0 || digits == text.size()) {
            return std::nullopt;
        }
        const char unit = text[digits];
        text.remove_prefix(digits + 1);
        Timestamp scale = 0;
        if (!in_time && unit == 'W') {
            scale = 7 * 86400;
        } else if (!in_time && unit == 'D') {
            scale = 86400;
        } else if (in_time && unit == 'H') {
            scale = 3600;
        } else if (in_time && unit == 'M') {
            scale = 60;
        } else if (in_time && unit == 'S') {
            scale = 1;
        } else {
            return std::nullopt;
        }
        total += number * scale;
        if (total > kLimit) {
            return std::nullopt;
        }
        any = true;
    }
    if (!any) {
        return std::nullopt;
    }
    return sign * total;
}

}  // namespace open311::sandbox
