#pragma once

#include "api/core/context.hpp"
#include "api/guard/abuse_control.hpp"

#include "open311/domain/api_key.hpp"
#include "open311/store/store.hpp"

#include <optional>
#include <string>

namespace open311::api {

/// The POST rate limits of the public API (new requests and updates share them): one token
/// bucket per client address, checked before any work, and one per API key, with the key's
/// own limits when it has some.
class PostLimits final {
public:
    PostLimits(const Config& config, Store& store, AbuseControl& abuse, const Responder& respond)
        : config_(config), store_(store), abuse_(abuse), respond_(respond) {}

    /// The 429 to send when the client address has no POST token left.
    std::optional<HttpResponse> by_address(const RequestContext& ctx) const;
    /// The 429 to send when the API key has no POST token left.
    std::optional<HttpResponse> by_key(const RequestContext& ctx, const ApiKey& key) const;

private:
    std::optional<HttpResponse> take(const RequestContext& ctx,
                                     const std::string& bucket,
                                     int per_minute,
                                     int burst,
                                     const std::string& refusal) const;

    const Config& config_;
    Store& store_;
    AbuseControl& abuse_;
    const Responder& respond_;
};

}  // namespace open311::api
