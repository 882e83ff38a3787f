#include "open311/config.hpp"

namespace open311 {

std::optional<Profile> profile_by_name(const std::string& name) {
    if (name == "georeport-v2") {
        return Profile{};
    }
    if (name == "helsinki") {
        Profile p;
        p.name = "helsinki";
        p.max_results = 200;
        p.radius_unit = RadiusUnit::kilometres;
        p.pending_by_id = PendingVisibility::hidden;
        // The Helsinki documents show bare objects, but Helsinki's own client and the 6Aika
        // reference server use arrays, so arrays stay the default here too.
        p.post_response_json = JsonShape::array;
        p.single_request_json = JsonShape::array;
        // H2024 shows a field without a value as null ("media_url" : null).
        p.empty_value_json = EmptyValue::null;
        p.description_required = true;
        p.description_min_length = 10;
        p.description_max_length = 5000;
        p.accept_address_string = false;
        p.accept_address_id = false;
        // H2024: "can_be_published: … default false".
        p.can_be_published_default = false;
        return p;
    }
    return std::nullopt;
}

std::vector<std::string> profile_names() {
    return {"georeport-v2", "helsinki"};
}

}  // namespace open311
