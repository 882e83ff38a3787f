#pragma once

#include "api/core/http_types.hpp"

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace open311::api {

/// Rendered answers that depend only on a catalogue snapshot (the service list and the
/// service definitions, per locale and format). A new snapshot (the store reloads it when the
/// catalogue's revision changes) drops every entry. The keys come from bounded sets
/// (configured locales, existing service codes, two formats), so the cache stays small.
class ResponseCache final {
public:
    /// The answer cached under `key` for `snapshot`, or the one `render` makes, kept.
    template <typename Render>
    HttpResponse get(const std::shared_ptr<const void>& snapshot,
                     const std::string& key,
                     Render&& render) {
        {
            std::lock_guard lock(mutex_);
            if (snapshot_ == snapshot) {
                if (auto it = entries_.find(key); it != entries_.end()) {
                    return it->second;
                }
            }
        }
        HttpResponse response = std::forward<Render>(render)();
        if (response.status == 200) {
            std::lock_guard lock(mutex_);
            if (snapshot_ != snapshot) {
                // Holding the snapshot keeps its address from being reused by a later one.
                snapshot_ = snapshot;
                entries_.clear();
            }
            entries_.emplace(key, response);
        }
        return response;
    }

private:
    std::mutex mutex_;
    std::shared_ptr<const void> snapshot_;
    std::unordered_map<std::string, HttpResponse> entries_;
};

}  // namespace open311::api
