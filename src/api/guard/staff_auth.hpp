#pragma once

#include "api/core/context.hpp"

#include "open311/domain/api_key.hpp"
#include "open311/store/store.hpp"

#include <optional>
#include <string>

namespace open311::api {

/// Checks the bearer key of a staff route against the least role the route table gives it.
/// Returns the refusal to send (401 without a key, 403 for a bad key or a role too low), or
/// nullopt with `actor` set to the key's name.
std::optional<HttpResponse> require_role(const RequestContext& ctx,
                                         Role minimum,
                                         Store& store,
                                         const Responder& respond,
                                         std::string& actor);

}  // namespace open311::api
