#include "util/random.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstdint>
#include <stdexcept>
#include <vector>

namespace open311 {
namespace {

/// Lowercase base32: 32 symbols, so 5 bits each.
constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";

}  // namespace

std::string random_id(std::size_t length) {
    std::vector<unsigned char> bytes(length);
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
        throw std::runtime_error("the random number generator failed");
    }
    std::string out(length, 'a');
    for (std::size_t i = 0; i < length; ++i) {
        out[i] = kAlphabet[bytes[i] & 31U];  // 32 symbols: the low 5 bits are uniform
    }
    return out;
}

std::string new_request_id() {
    constexpr std::size_t kPrefix = 7;   // 35 random bits per thread and run
    constexpr std::size_t kCounter = 5;  // 2^25 ids, then a fresh prefix
    thread_local std::string prefix;
    thread_local std::uint32_t next = 0;
    if (prefix.empty() || next == (1U << (5 * kCounter))) {
        prefix = random_id(kPrefix);
        next = 0;
    }
    std::string out = prefix;
    out.resize(kPrefix + kCounter);
    std::uint32_t n = next++;
    for (std::size_t i = 0; i < kCounter; ++i) {
        out[kPrefix + kCounter - 1 - i] = kAlphabet[n & 31U];
        n >>= 5U;
    }
    return out;
}

std::string new_key_secret() {
    return "o311_" + random_id(40);
}

std::string sha256_hex(const std::string& text) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
        throw std::runtime_error("SHA-256 failed");
    }
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    out.reserve(size * 2);
    for (unsigned int i = 0; i < size; ++i) {
        out += kHex[digest[i] >> 4U];
        out += kHex[digest[i] & 15U];
    }
    return out;
}

}  // namespace open311
