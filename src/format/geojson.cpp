#include "format/geojson.hpp"

namespace open311::format {

namespace {

std::string dump_geojson(const nlohmann::ordered_json& value) {
    return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace

nlohmann::ordered_json request_feature(const nlohmann::ordered_json& object) {
    nlohmann::ordered_json feature;
    feature["type"] = "Feature";
    if (auto id = object.find("service_request_id"); id != object.end() && id->is_string()) {
        feature["id"] = *id;
    }
    const auto lat = object.find("lat");
    const auto lon = object.find("long");
    if (lat != object.end() && lon != object.end() && lat->is_number() && lon->is_number()) {
        feature["geometry"] = {{"type", "Point"}, {"coordinates", {*lon, *lat}}};
    } else {
        feature["geometry"] = nullptr;
    }
    feature["properties"] = object;
    return feature;
}

std::string feature_collection(const nlohmann::ordered_json& objects,
                               const std::vector<GeoLink>& links) {
    nlohmann::ordered_json collection;
    collection["type"] = "FeatureCollection";
    auto& features = collection["features"] = nlohmann::ordered_json::array();
    for (const auto& object : objects) {
        features.push_back(request_feature(object));
    }
    if (!links.empty()) {
        auto& out = collection["links"] = nlohmann::ordered_json::array();
        for (const auto& link : links) {
            out.push_back({{"rel", link.rel}, {"href", link.href}});
        }
    }
    return dump_geojson(collection);
}

std::string feature_document(const nlohmann::ordered_json& object) {
    return dump_geojson(request_feature(object));
}

}  // namespace open311::format
