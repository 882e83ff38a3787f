#pragma once

#include "form/params.hpp"

#include "open311/config.hpp"
#include "open311/errors.hpp"
#include "open311/store/store.hpp"

#include <string>
#include <vector>

namespace open311::validate {

/// A GET requests query after validation.
struct SearchQuery {
    RequestFilter filter;
    bool extensions = false;
    int page = 1;
};

/// Longest requested_datetime window of one query (GeoReport v2: 90 days).
inline constexpr Timestamp kMaxWindowSeconds = 90LL * 24 * 3600;

/// Validates the GET requests parameters (GeoReport v2 + CitySDK: extensions, lat/long/radius,
/// updated_after/before, service_object_*; plus page, page_size, bbox, sort). Every problem
/// is returned, each naming its parameter. `now` anchors the default 90-day window.
std::vector<ApiError> search_query(const form::Params& query,
                                   const Profile& profile,
                                   Timestamp now,
                                   SearchQuery& out);

/// Reads page (from 1) and page_size (default `default_size`; above `max_size` it is capped
/// when `cap_size`, an error otherwise) into the filter's limit and offset; returns the page.
int read_paging(const form::Params& params,
                int default_size,
                int max_size,
                bool cap_size,
                RequestFilter& filter,
                std::vector<ApiError>& errors);

}  // namespace open311::validate
