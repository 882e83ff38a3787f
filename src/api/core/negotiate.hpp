#pragma once

#include "format/document.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace open311::api {

/// Removes a final ".json" or ".xml" from `path` and returns its format. Only the last suffix
/// counts: "/services/2806.10.2.2.json" → "/services/2806.10.2.2", json.
std::optional<format::Format> strip_format_suffix(std::string& path);

/// The format an Accept header prefers; XML when it says nothing useful (GeoReport v2:
/// XML is the required format).
format::Format negotiate_accept(std::string_view accept);

}  // namespace open311::api
