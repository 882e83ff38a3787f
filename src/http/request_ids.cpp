#include "http/request_ids.hpp"

#include "util/random.hpp"

#include <algorithm>
#include <cctype>

namespace open311::http {
namespace {

bool acceptable_id(std::string_view id) {
    constexpr std::string_view kPunctuation = "-_.:/+=";
    return !id.empty() && id.size() <= 128 && std::all_of(id.begin(), id.end(), [&](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
               kPunctuation.find(c) != std::string_view::npos;
    });
}

}  // namespace

RequestIds::RequestIds(const Config& config) : header_(config.request_id_header) {
    for (const auto& p : config.trusted_proxies) {
        if (auto range = parse_ip_range(p)) {
            trusted_.push_back(*range);
        }
    }
}

std::string RequestIds::id_for(std::string_view peer, std::string_view sent) const {
    if (!header_.empty() && !sent.empty() && acceptable_id(sent)) {
        const auto address = parse_ip(peer);
        if (address && std::any_of(trusted_.begin(), trusted_.end(), [&](const IpRange& r) {
                return r.contains(*address);
            })) {
            return std::string(sent);
        }
    }
    return new_request_id();
}

}  // namespace open311::http
