#include "api/guard/abuse_control.hpp"

#include "util/random.hpp"

#include <algorithm>

namespace open311::api {

AbuseControl::AbuseControl(const Config& config, Store& store)
    : usage(store, config.usage_flush_seconds) {
    for (const auto& text : config.trusted_proxies) {
        if (auto range = parse_ip_range(text)) {
            trusted_proxies.push_back(*range);
        }
    }
}

bool valid_idempotency_key(std::string_view key) {
    return !key.empty() && key.size() <= 255 &&
           std::all_of(key.begin(), key.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

std::string request_fingerprint(format::Format format, const form::Params& fields) {
    auto items = fields.items();
    std::sort(items.begin(), items.end());
    std::string text = format == format::Format::json ? "json" : "xml";
    for (const auto& [name, value] : items) {
        // Lengths first, so that no choice of names and values can make two lists print alike.
        text += '\n' + std::to_string(name.size()) + ':' + name + std::to_string(value.size()) +
                ':' + value;
    }
    return sha256_hex(text);
}

}  // namespace open311::api
