#pragma once

#include <string>

namespace open311 {

/// `length` characters of lowercase base32 from the operating system's CSPRNG.
/// Used for request ids and tokens (unguessable, not sequential).
std::string random_id(std::size_t length);

/// A request's id (X-Request-Id, log lines): 12 characters of the same alphabet, unique within
/// and across runs, but not secret: a random prefix drawn once per thread, then a counter. No
/// system call per id (RAND_bytes asks the kernel for the process id on every call, to notice
/// a fork).
std::string new_request_id();

/// A new API key secret: "o311_" followed by 40 base32 characters (200 bits).
std::string new_key_secret();

/// Hex SHA-256 of `text`; API keys are stored only as this hash.
std::string sha256_hex(const std::string& text);

}  // namespace open311
