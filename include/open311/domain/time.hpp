#pragma once

#include <cstdint>

namespace open311 {

/// An instant in whole seconds since the Unix epoch (UTC). Stored and compared as such;
/// formatted only in format/datetime.
using Timestamp = std::int64_t;

/// The current time: the system clock moved by the clock offset. Everything that stamps or
/// windows time (new requests and updates, date windows, key expiry, the outbox) reads it.
Timestamp now();

/// Moves the time now() answers by `seconds` from the system clock, for the whole process.
/// Only `open311d sandbox` sets it (its control API sets and advances the server's clock);
/// every other command leaves it at 0. Process-wide on purpose: the time is read deep inside
/// the workflow, validation and the mail sender, and a test process runs one server.
void set_clock_offset(Timestamp seconds);
/// The offset now() applies (0 unless a sandbox moved the clock).
Timestamp clock_offset();

}  // namespace open311
