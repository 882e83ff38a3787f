#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace open311::format {

/// A link of a GeoJSON answer's `links` array (paging: "next", "prev").
struct GeoLink {
    std::string rel;
    std::string href;
};

/// RFC 7946 for public requests. Each `object` is a request exactly as the JSON answer writes
/// it (the same names, values and privacy rules); it becomes the Feature's `properties`, its
/// `service_request_id` the Feature's `id`, and its `lat`/`long`, when both are numbers, a
/// `Point` with the longitude first. A request without a location has `"geometry": null`.
nlohmann::ordered_json request_feature(const nlohmann::ordered_json& object);

/// A FeatureCollection of `objects` (a JSON array of requests), with its paging links.
std::string feature_collection(const nlohmann::ordered_json& objects,
                               const std::vector<GeoLink>& links);

/// One request as a Feature document.
std::string feature_document(const nlohmann::ordered_json& object);

/// Content-Type of a GeoJSON answer (RFC 7946 §12).
inline constexpr const char* kGeoJsonContentType = "application/geo+json";

}  // namespace open311::format
