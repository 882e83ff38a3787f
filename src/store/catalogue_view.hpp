#pragma once

#include "open311/store/store.hpp"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace open311 {

/// The service catalogue as one response reads it: the store's shared snapshot, taken once,
/// searched without copying a service.
class CatalogueView {
public:
    explicit CatalogueView(Store& store) : services_(store.catalogue_snapshot()) {}
    /// A snapshot already in hand (not null).
    explicit CatalogueView(std::shared_ptr<const std::vector<Service>> services)
        : services_(std::move(services)) {}

    /// The snapshot itself: it identifies this version of the catalogue.
    const std::shared_ptr<const std::vector<Service>>& snapshot() const { return services_; }

    /// Every service (inactive ones included), ordered by code.
    const std::vector<Service>& all() const { return *services_; }

    /// The service with this code, or null.
    const Service* find(const std::string& code) const {
        auto it = std::lower_bound(
            services_->begin(), services_->end(), code, [](const Service& s, const std::string& c) {
                return s.code < c;
            });
        return it == services_->end() || it->code != code ? nullptr : &*it;
    }

    /// The service's name in `locale` (else `fallback`), or "" for an unknown code.
    const std::string& name(const std::string& code,
                            const std::string& locale,
                            const std::string& fallback) const {
        static const std::string kEmpty;
        const auto* service = find(code);
        return service == nullptr ? kEmpty : service->translation(locale, fallback).name;
    }

private:
    std::shared_ptr<const std::vector<Service>> services_;
};

}  // namespace open311
