#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace open311 {

/// An IPv4 or IPv6 address range in CIDR form ("10.0.0.0/8", "::1/128"); a bare address is a
/// range of one. IPv4 is kept as an IPv4-mapped IPv6 address, so "::ffff:10.1.2.3" (how a
/// dual-stack socket names an IPv4 peer) matches "10.0.0.0/8".
struct IpRange {
    std::array<std::uint8_t, 16> address{};
    unsigned prefix = 128;

    bool contains(const std::array<std::uint8_t, 16>& ip) const;
};

/// The 16-byte form of an IPv4 or IPv6 address; nullopt when `text` is not one.
std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text);
/// Parses "ADDRESS" or "ADDRESS/PREFIX"; nullopt when malformed.
std::optional<IpRange> parse_ip_range(std::string_view text);

/// The client address of a request: the peer, unless the peer is a trusted proxy, in which case
/// X-Forwarded-For is read from the right and the first address not itself a trusted proxy is
/// the client. Entries that are not addresses end the walk (the last good one is kept).
std::string client_ip(const std::string& peer,
                      std::string_view forwarded_for,
                      const std::vector<IpRange>& trusted);

}  // namespace open311
