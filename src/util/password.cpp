// Passwords of staff console users: Argon2id through libsodium (crypto_pwhash_str_alg).
#include "util/password.hpp"

#include <array>
#include <sodium.h>
#include <stdexcept>

namespace open311 {

namespace {

void ensure_sodium() {
    // Thread-safe and idempotent; it picks the fastest implementations for this CPU.
    static const int ready = sodium_init();
    if (ready < 0) {
        throw std::runtime_error("libsodium could not be initialised");
    }
}

}  // namespace

std::string hash_password(std::string_view password) {
    ensure_sodium();
    std::array<char, crypto_pwhash_STRBYTES> out{};
    if (crypto_pwhash_str_alg(out.data(),
                              password.data(),
                              password.size(),
                              crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("out of memory while hashing a password");
    }
    return std::string(out.data());
}

bool verify_password(std::string_view password, const std::string& hash) {
    ensure_sodium();
    if (hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) {
        return false;
    }
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

const std::string& decoy_password_hash() {
    static const std::string decoy = hash_password("no account has this password, ever");
    return decoy;
}

}  // namespace open311
