#pragma once

#include <string>

namespace open311 {

/// `length` characters of lowercase base32 from the operating system's CSPRNG.
/// Used for request ids and tokens (unguessable, not sequential).
std::string random_id(std::size_t length);

/// A new API key secret: "o311_" followed by 40 base32 characters (200 bits).
std::string new_key_secret();

/// Hex SHA-256 of `text`; API keys are stored only as this hash.
std::string sha256_hex(const std::string& text);

}  // namespace open311
