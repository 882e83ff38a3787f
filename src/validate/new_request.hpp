#pragma once

#include "form/params.hpp"

#include "open311/config.hpp"
#include "open311/domain/request.hpp"
#include "open311/domain/service.hpp"
#include "open311/errors.hpp"

#include <vector>

namespace open311::validate {

/// Checks the fields of a POST requests form against the service definition and the profile
/// (GeoReport v2 "POST Service Request"; Helsinki: description length, title, can_be_published,
/// service_object_id/type). Returns every problem at once, each naming its field; fills `out`
/// with the accepted values when there are none.
std::vector<ApiError> new_request(const form::Params& form,
                                  const Service& service,
                                  const Profile& profile,
                                  ServiceRequest& out);

/// Limits on free-text fields, in Unicode characters.
inline constexpr std::size_t kMaxTitle = 100;
inline constexpr std::size_t kMaxShortField = 200;
inline constexpr std::size_t kMaxAddress = 1000;
inline constexpr std::size_t kMaxAttributeValue = 4000;
inline constexpr std::size_t kMaxAttributeValues = 100;  ///< values of one multivaluelist
inline constexpr std::size_t kMaxMediaUrls = 10;
inline constexpr std::size_t kMaxUrl = 2048;

}  // namespace open311::validate
