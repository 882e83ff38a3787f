// GeoReport v2: every response field of a request is there. One without a value is null in
// the tree, api.empty_value_json in JSON ("" or null, set by the profile and overridable like
// every profile key) and an empty element in XML.
#include "format/document.hpp"
#include "format/trees.hpp"
#include "unit/spark_readback.hpp"

#include "open311/config.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <optional>
#include <string>

namespace open311::format {
namespace {

using nlohmann::ordered_json;
using open311::testing::parse_xml;

/// A published request without location, expected datetime, photo or detailed status.
ServiceRequest request_without_values() {
    ServiceRequest r;
    r.id = "f3a9c2";
    r.service_code = "171";
    r.state = ModerationState::published;
    r.status = "open";
    r.description = "Big pothole";
    r.requested_at = 1717243200;
    r.updated_at = 1717243260;
    return r;
}

constexpr const char* kUnset[] = {"lat", "long", "expected_datetime", "media_url"};

TEST(EmptyValues, TreeHasNullsJsonFollowsTheSettingXmlHasEmptyElements) {
    auto item = public_request(request_without_values(), "P", true, Detail::full);
    for (const char* name : kUnset) {
        ASSERT_TRUE(item.contains(name)) << name;
        EXPECT_TRUE(item[name].is_null()) << name;
    }
    EXPECT_TRUE(item["extended_attributes"]["detailed_status"].is_null());
    const Document doc{"service_requests", ordered_json::array({item})};
    auto blank = ordered_json::parse(write_json(doc, Profile{}));
    auto null = ordered_json::parse(write_json(doc, *profile_by_name("helsinki")));
    for (const char* name : kUnset) {
        EXPECT_EQ(blank[0][name], "") << name;
        EXPECT_TRUE(null[0][name].is_null()) << name;
    }
    EXPECT_EQ(blank[0]["extended_attributes"]["detailed_status"], "");
    EXPECT_TRUE(null[0]["extended_attributes"]["detailed_status"].is_null());
    pugi::xml_document xml;
    ASSERT_TRUE(parse_xml(xml, write_xml(doc)));
    auto req = xml.child("service_requests").child("request");
    ASSERT_TRUE(req);
    for (const char* name : kUnset) {
        ASSERT_TRUE(req.child(name)) << name;
        EXPECT_STREQ(req.child_value(name), "") << name;
    }
    EXPECT_TRUE(req.child("extended_attributes").child("detailed_status"));
}

TEST(EmptyValues, StaffRequestKeepsNull) {
    // The staff API writes its own JSON: nulls stay null whatever the profile.
    auto item = staff_request(request_without_values(), "P");
    EXPECT_TRUE(item["expected_datetime"].is_null());
    EXPECT_TRUE(item["media_url"].is_null());
}

TEST(EmptyValueSetting, ProfileDefaults) {
    EXPECT_EQ(load_config(std::nullopt, {}, {}).profile.empty_value_json, EmptyValue::empty_string);
    EXPECT_EQ(profile_by_name("georeport-v2")->empty_value_json, EmptyValue::empty_string);
    EXPECT_EQ(profile_by_name("helsinki")->empty_value_json, EmptyValue::null);
    EXPECT_EQ(load_config(std::nullopt, {}, {{"api.profile", "helsinki"}}).profile.empty_value_json,
              EmptyValue::null);
}

TEST(EmptyValueSetting, ExplicitValueOverridesTheProfile) {
    auto c = load_config(
        std::nullopt, {"OPEN311_API_EMPTY_VALUE_JSON=empty_string"}, {{"api.profile", "helsinki"}});
    EXPECT_EQ(c.profile.empty_value_json, EmptyValue::empty_string);
    EXPECT_EQ(c.profile.max_results, 200);  // the rest of the profile stays
    auto d = load_config(std::nullopt, {}, {{"api.empty_value_json", "null"}});
    EXPECT_EQ(d.profile.empty_value_json, EmptyValue::null);
}

TEST(EmptyValueSetting, UnknownValueIsNamed) {
    try {
        (void)load_config(std::nullopt, {}, {{"api.empty_value_json", "nothing"}});
        FAIL() << "accepted";
    } catch (const ConfigError& e) {
        const std::string what = e.what();
        EXPECT_NE(what.find("api.empty_value_json"), std::string::npos) << what;
        EXPECT_NE(what.find("empty_string"), std::string::npos) << what;
    }
}

}  // namespace
}  // namespace open311::format
