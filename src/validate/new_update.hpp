#pragma once

#include "form/params.hpp"

#include "open311/config.hpp"
#include "open311/domain/workflow.hpp"
#include "open311/errors.hpp"

#include <vector>

namespace open311::validate {

/// Checks the fields of a POST servicerequestupdates form (GeoReport v2 with the FMS
/// extensions: status may be an FMS extended state). Returns every problem at once, each
/// naming its field; fills `out` (request_id, status, external_status, description, media_url,
/// client update id and datetime, the poster's personal data) when there are none.
std::vector<ApiError> new_update(const form::Params& form,
                                 const Profile& profile,
                                 RequestUpdate& out);

}  // namespace open311::validate
