#include "api/guard/abuse_control.hpp"

#include <gtest/gtest.h>

namespace open311::api {
namespace {

form::Params params(const std::vector<std::pair<std::string, std::string>>& items) {
    form::Params p;
    for (const auto& [name, value] : items) {
        p.add(name, value);
    }
    return p;
}

TEST(IdempotencyKey, ValidKeysAreVisibleAscii) {
    EXPECT_TRUE(valid_idempotency_key("4f1c2b9e-8d7a-4e21-9c55-0a7d3e6b1f20"));
    EXPECT_TRUE(valid_idempotency_key(std::string(255, 'k')));
    EXPECT_FALSE(valid_idempotency_key(""));
    EXPECT_FALSE(valid_idempotency_key(std::string(256, 'k')));
    EXPECT_FALSE(valid_idempotency_key("with space"));
    EXPECT_FALSE(valid_idempotency_key("tab\there"));
    EXPECT_FALSE(valid_idempotency_key("\xC3\xA4"));
}

TEST(IdempotencyKey, FingerprintIgnoresFieldOrderOnly) {
    const auto a = params({{"lat", "60"}, {"long", "24"}, {"description", "x"}});
    const auto b = params({{"description", "x"}, {"long", "24"}, {"lat", "60"}});
    EXPECT_EQ(request_fingerprint(format::Format::json, a),
              request_fingerprint(format::Format::json, b));
    EXPECT_NE(request_fingerprint(format::Format::json, a),
              request_fingerprint(format::Format::xml, a));
    EXPECT_NE(request_fingerprint(format::Format::json, a),
              request_fingerprint(format::Format::json,
                                  params({{"lat", "60"}, {"long", "24"}, {"description", "y"}})));
    // Names and values cannot be shifted into each other.
    EXPECT_NE(request_fingerprint(format::Format::json, params({{"ab", "c"}})),
              request_fingerprint(format::Format::json, params({{"a", "bc"}})));
}

}  // namespace
}  // namespace open311::api
