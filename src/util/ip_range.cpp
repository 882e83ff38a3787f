#include "util/ip_range.hpp"

#include <arpa/inet.h>
#include <charconv>

namespace open311 {

std::optional<std::array<std::uint8_t, 16>> parse_ip(std::string_view text) {
    // Trim spaces and a bracketed IPv6 form; a port is not part of an address.
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
        text.remove_prefix(1);
    }
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
        text.remove_suffix(1);
    }
    if (text.size() > 2 && text.front() == '[' && text.back() == ']') {
        text = text.substr(1, text.size() - 2);
    }
    if (text.empty() || text.size() > 45) {
        return std::nullopt;
    }
    const std::string copy(text);
    std::array<std::uint8_t, 16> out{};
    if (copy.find(':') != std::string::npos) {
        if (inet_pton(AF_INET6, copy.c_str(), out.data()) != 1) {
            return std::nullopt;
        }
        return out;
    }
    std::array<std::uint8_t, 4> v4{};
    if (inet_pton(AF_INET, copy.c_str(), v4.data()) != 1) {
        return std::nullopt;
    }
    out[10] = 0xff;
    out[11] = 0xff;
    for (std::size_t i = 0; i < 4; ++i) {
        out[12 + i] = v4[i];
    }
    return out;
}

std::optional<IpRange> parse_ip_range(std::string_view text) {
    const auto slash = text.find('/');
    auto ip = parse_ip(text.substr(0, slash));
    if (!ip) {
        return std::nullopt;
    }
    IpRange range;
    range.address = *ip;
    if (slash == std::string_view::npos) {
        return range;
    }
    const bool v4 = text.substr(0, slash).find(':') == std::string_view::npos;
    const auto digits = text.substr(slash + 1);
    unsigned prefix = 0;
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), prefix);
    if (ec != std::errc{} || end != digits.data() + digits.size() || digits.empty() ||
        prefix > (v4 ? 32U : 128U)) {
        return std::nullopt;
    }
    range.prefix = v4 ? prefix + 96 : prefix;
    return range;
}

bool IpRange::contains(const std::array<std::uint8_t, 16>& ip) const {
    unsigned bits = prefix;
    for (std::size_t i = 0; i < 16 && bits > 0; ++i) {
        const unsigned take = bits >= 8 ? 8 : bits;
        const auto mask = static_cast<std::uint8_t>(0xffU << (8 - take));
        if ((ip[i] & mask) != (address[i] & mask)) {
            return false;
        }
        bits -= take;
    }
    return true;
}

namespace {

bool is_trusted(const std::array<std::uint8_t, 16>& ip, const std::vector<IpRange>& trusted) {
    for (const auto& range : trusted) {
        if (range.contains(ip)) {
            return true;
        }
    }
    return false;
}

}  // namespace

std::string client_ip(const std::string& peer,
                      std::string_view forwarded_for,
                      const std::vector<IpRange>& trusted) {
    if (trusted.empty() || forwarded_for.empty()) {
        return peer;
    }
    auto peer_ip = parse_ip(peer);
    if (!peer_ip || !is_trusted(*peer_ip, trusted)) {
        return peer;
    }
    std::string client = peer;
    // Each proxy appends the address it received the request from: the right end is the most
    // recent hop, the only part a client cannot forge.
    while (!forwarded_for.empty()) {
        const auto comma = forwarded_for.rfind(',');
        const auto entry =
            comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
        forwarded_for =
            comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
        auto ip = parse_ip(entry);
        if (!ip) {
            break;
        }
        auto start = entry.find_first_not_of(" \t");
        auto stop = entry.find_last_not_of(" \t");
        client = std::string(entry.substr(start, stop - start + 1));
        if (!is_trusted(*ip, trusted)) {
            break;
        }
    }
    return client;
}

}  // namespace open311
