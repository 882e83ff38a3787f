#pragma once

#include <string_view>

namespace open311::telemetry {

/// The version of this build (the project's) and the git revision it was built from
/// ("unknown" when built outside a git checkout without OPEN311_GIT_REVISION).
std::string_view build_version();
std::string_view build_revision();

}  // namespace open311::telemetry
