#pragma once

#include "open311/domain/request.hpp"
#include "open311/domain/service.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace open311::seed {

/// Where and when generated requests fall: by default the Helsinki area over two years.
struct Area {
    double min_lat = 60.13;
    double max_lat = 60.30;
    double min_lon = 24.78;
    double max_lon = 25.20;
};

/// Makes realistic published feedback for benchmarks and demos: Finnish descriptions of
/// the length citizens write (one to five sentences), addresses on Helsinki streets, points
/// in `area`, request times spread evenly over `span_seconds` before `now`, older requests
/// mostly closed. Deterministic for a given seed, so runs can be compared.
class Generator final {
public:
    /// `service_codes` must be codes of active services in the catalogue.
    Generator(std::vector<std::string> service_codes,
              Timestamp now,
              std::uint64_t seed = 1,
              Area area = {},
              Timestamp span_seconds = 2 * 365 * 24 * 3600);

    /// The next request, with a fresh random id.
    ServiceRequest next();

    /// A Finnish description alone (for POST bodies).
    std::string description();

private:
    std::uint64_t random();
    double uniform();  ///< in [0, 1)
    std::size_t below(std::size_t n);

    std::vector<std::string> codes_;
    Timestamp now_;
    std::uint64_t state_;
    Area area_;
    Timestamp span_;
};

}  // namespace open311::seed
