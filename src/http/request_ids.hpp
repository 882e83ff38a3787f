#pragma once

#include "util/ip_range.hpp"

#include "open311/config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace open311::http {

/// Where a request's id comes from: made here (12 random characters), or, with
/// log.request_id_header set, taken from that header when a trusted proxy
/// (limits.trusted_proxies) sent it, so that the proxy's log and ours name a request alike.
class RequestIds final {
public:
    explicit RequestIds(const Config& config);

    /// The header to read ("" when none is configured).
    const std::string& header() const { return header_; }
    /// The id of a request from `peer` whose id header had `sent` (empty when absent). A value
    /// from an untrusted peer, or one that is not 1 to 128 characters of letters, digits and
    /// "-_.:/+=" (nothing that could break a log line), is replaced by a new id.
    std::string id_for(std::string_view peer, std::string_view sent) const;

private:
    std::string header_;
    std::vector<IpRange> trusted_;
};

}  // namespace open311::http
