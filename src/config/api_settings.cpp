// [api]: the profile and the settings it bundles, the jurisdictions, locales and discovery.
#include "config/settings.hpp"

#include <algorithm>

namespace open311::config {
namespace {

/// The location fields a POST may give (api.location_fields).
enum class LocationField { lat_long, service_object, address_string, address_id };

void apply_location_fields(Config& c, const std::string& key, const std::string& value) {
    // lat+long and service_object_id(+type) are always accepted; this adds the others.
    c.profile.accept_address_string = false;
    c.profile.accept_address_id = false;
    for (const auto& item : parse_list(value)) {
        auto field = parse_choice<LocationField>(key,
                                                 item,
                                                 {{"lat_long", LocationField::lat_long},
                                                  {"service_object", LocationField::service_object},
                                                  {"address_string", LocationField::address_string},
                                                  {"address_id", LocationField::address_id}});
        c.profile.accept_address_string |= field == LocationField::address_string;
        c.profile.accept_address_id |= field == LocationField::address_id;
    }
}

void apply_jurisdictions(Config& c, const std::string& key, const std::string& value) {
    c.jurisdictions = parse_list(value);
    if (c.jurisdictions.empty()) {
        invalid(key, value, "expected at least one jurisdiction id");
    }
}

void apply_default_locale(Config& c, const std::string& key, const std::string& value) {
    if (value.size() != 2) {
        invalid(key, value, "expected a two-letter language code");
    }
    c.default_locale = value;
}

void apply_locales(Config& c, const std::string& key, const std::string& value) {
    c.locales = parse_list(value);
    for (const auto& l : c.locales) {
        if (l.size() != 2) {
            invalid(key, value, "expected two-letter language codes");
        }
    }
}

std::vector<Choice<JsonShape>> json_shapes() {
    return {{"array", JsonShape::array}, {"object", JsonShape::object}};
}

}  // namespace

void add_api_settings(SettingTable& table) {
    const auto profile = &Config::profile;
    table.insert({
        // Read before every other setting (loader.cpp): it supplies the others' defaults.
        {"api.profile",
         [](Config&, const std::string&, const std::string&) {
         }},
        {"api.jurisdictions", apply_jurisdictions},
        {"api.default_locale", apply_default_locale},
        {"api.locales", apply_locales},
        {"api.contact", text(&Config::contact)},
        {"api.key_service", text(&Config::key_service)},
        {"api.environment", one_of(names({"production", "test"}), &Config::environment)},
        {"api.max_results", whole_number(1, 100000, profile, &Profile::max_results)},
        {"api.radius_unit",
         one_of<RadiusUnit>(
             {{"metres", RadiusUnit::metres}, {"kilometres", RadiusUnit::kilometres}},
             profile,
             &Profile::radius_unit)},
        {"api.pending_by_id",
         one_of<PendingVisibility>(
             {{"partial", PendingVisibility::partial}, {"hidden", PendingVisibility::hidden}},
             profile,
             &Profile::pending_by_id)},
        {"api.post_response_json", one_of(json_shapes(), profile, &Profile::post_response_json)},
        {"api.single_request_json", one_of(json_shapes(), profile, &Profile::single_request_json)},
        {"api.empty_value_json",
         one_of<EmptyValue>(
             {{"empty_string", EmptyValue::empty_string}, {"null", EmptyValue::null}},
             profile,
             &Profile::empty_value_json)},
        {"api.description_required", flag(profile, &Profile::description_required)},
        {"api.description_min_length",
         whole_number(0, 100000, profile, &Profile::description_min_length)},
        {"api.description_max_length",
         whole_number(1, 100000, profile, &Profile::description_max_length)},
        {"api.location_fields", apply_location_fields},
        {"api.can_be_published_default", flag(profile, &Profile::can_be_published_default)},
        {"api.moderate_client_updates", flag(&Config::moderate_client_updates)},
        {"api.update_statuses",
         one_of<bool>({{"extended", true}, {"basic", false}}, &Config::extended_update_statuses)},
    });
}

void check_api_settings(Config& config) {
    if (config.profile.description_min_length > config.profile.description_max_length) {
        throw ConfigError(
            "invalid value for setting 'api.description_min_length': larger than "
            "api.description_max_length");
    }
    // The default locale is always one of the locales served.
    if (std::find(config.locales.begin(), config.locales.end(), config.default_locale) ==
        config.locales.end()) {
        config.locales.push_back(config.default_locale);
    }
}

}  // namespace open311::config
