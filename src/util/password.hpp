#pragma once

#include <string>
#include <string_view>

namespace open311 {

/// An Argon2id hash of `password` in libsodium's self-describing string format (algorithm,
/// parameters and salt included), at libsodium's "interactive" cost. Throws when the system
/// cannot allocate the memory the hash needs.
std::string hash_password(std::string_view password);

/// Whether `password` matches `hash` (a string from hash_password); false for a malformed
/// hash. Takes about as long as hashing, whatever the answer.
bool verify_password(std::string_view password, const std::string& hash);

/// A hash to verify against when the account does not exist, so that an unknown name costs
/// as much time as a wrong password and the answer time does not tell names apart.
const std::string& decoy_password_hash();

}  // namespace open311
