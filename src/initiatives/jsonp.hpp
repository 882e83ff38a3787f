#pragma once

#include <cstddef>
#include <string_view>

namespace open311::initiatives {

/// Longest JSONP callback accepted, in bytes: real callbacks are short, and a bound keeps a
/// script answer from echoing a large part of the URL.
constexpr std::size_t kMaxCallbackBytes = 256;

/// Whether `callback` may name the function a JSONP answer calls: a JavaScript identifier
/// path. Each part is a name (a letter of any script, `_` or `$`, then also digits) with
/// optional `[N]` index suffixes; parts are joined by `.`; no part is a reserved word
/// (`a.b`, `fns[42].method`, `ääkkönen`; not `a-b`, `23foo`, `a[]`, `$.if`). Anything else,
/// including invalid UTF-8, is refused and must never be written back.
bool valid_jsonp_callback(std::string_view callback);

}  // namespace open311::initiatives
