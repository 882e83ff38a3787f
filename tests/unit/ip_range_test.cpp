#include "util/ip_range.hpp"

#include <gtest/gtest.h>

namespace open311 {
namespace {

TEST(IpRange, ParsesAddressesAndRanges) {
    EXPECT_TRUE(parse_ip("127.0.0.1"));
    EXPECT_TRUE(parse_ip("::1"));
    EXPECT_TRUE(parse_ip("[2001:db8::1]"));
    EXPECT_FALSE(parse_ip("localhost"));
    EXPECT_FALSE(parse_ip("1.2.3.4.5"));
    EXPECT_FALSE(parse_ip(""));
    EXPECT_TRUE(parse_ip_range("10.0.0.0/8"));
    EXPECT_TRUE(parse_ip_range("2001:db8::/32"));
    EXPECT_FALSE(parse_ip_range("10.0.0.0/33"));
    EXPECT_FALSE(parse_ip_range("10.0.0.0/"));
    EXPECT_FALSE(parse_ip_range("10.0.0.0/8x"));
}

TEST(IpRange, ContainsIpv4AlsoInItsMappedForm) {
    auto range = parse_ip_range("10.0.0.0/8");
    ASSERT_TRUE(range);
    EXPECT_TRUE(range->contains(*parse_ip("10.200.1.2")));
    EXPECT_TRUE(range->contains(*parse_ip("::ffff:10.1.2.3")));
    EXPECT_FALSE(range->contains(*parse_ip("11.0.0.1")));
    auto single = parse_ip_range("192.0.2.7");
    ASSERT_TRUE(single);
    EXPECT_TRUE(single->contains(*parse_ip("192.0.2.7")));
    EXPECT_FALSE(single->contains(*parse_ip("192.0.2.8")));
    auto v6 = parse_ip_range("2001:db8::/32");
    EXPECT_TRUE(v6->contains(*parse_ip("2001:db8:1::5")));
    EXPECT_FALSE(v6->contains(*parse_ip("2001:db9::5")));
}

TEST(ClientIp, ForwardedForOnlyFromTrustedProxies) {
    const std::vector<IpRange> trusted = {*parse_ip_range("10.0.0.0/8")};
    EXPECT_EQ(client_ip("203.0.113.1", "198.51.100.7", trusted), "203.0.113.1");
    EXPECT_EQ(client_ip("10.0.0.2", "198.51.100.7", trusted), "198.51.100.7");
    EXPECT_EQ(client_ip("10.0.0.2", "", trusted), "10.0.0.2");
    EXPECT_EQ(client_ip("10.0.0.2", "198.51.100.7", {}), "10.0.0.2");
    // Proxies in a chain are skipped; a forged left part is not believed.
    EXPECT_EQ(client_ip("10.0.0.2", "6.6.6.6, 198.51.100.7, 10.1.1.1", trusted), "198.51.100.7");
    // Garbage ends the walk at the last good hop.
    EXPECT_EQ(client_ip("10.0.0.2", "198.51.100.7, nonsense", trusted), "10.0.0.2");
    EXPECT_EQ(client_ip("10.0.0.2", " 198.51.100.7 ", trusted), "198.51.100.7");
}

}  // namespace
}  // namespace open311
