#include "format/trees.hpp"

#include "format/datetime.hpp"
#include "unit/spark_readback.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace open311::format {
namespace {

using nlohmann::ordered_json;
using open311::testing::json_view;
using open311::testing::parse_xml;
using open311::testing::read_back;
using open311::testing::xml_view;

Service waste_service() {
    Service s;
    s.code = "2806.10.4";
    s.translations["fi"] = {"J\xC3\xA4tehuolto", "Kuvaus", "j\xC3\xA4te,roska", "Palvelut"};
    s.translations["en"] = {"Waste management", "Report waste", "waste,litter", ""};
    Attribute kind;
    kind.code = "WASTE_TYPE";
    kind.datatype = Datatype::singlevaluelist;
    kind.required = true;
    kind.order = 1;
    kind.description = {{"en", "Type of waste"}, {"fi", "J\xC3\xA4tteen laji"}};
    kind.datatype_description = {{"en", "Choose one."}};
    kind.values = {{"1", {{"en", "Mixed"}, {"fi", "Seka"}}}, {"2", {{"en", "Bulky"}}}};
    Attribute bags;
    bags.code = "BAG_COUNT";
    bags.datatype = Datatype::number;
    bags.order = 2;
    bags.description = {{"en", "Number of bags"}};
    bags.automated = "hidden_field";
    s.attributes = {kind, bags};
    return s;
}

Service plain_service(const std::string& code, ServiceType type = ServiceType::realtime) {
    Service s;
    s.code = code;
    s.type = type;
    s.translations["en"] = {"Service " + code, "", "", ""};
    return s;
}

ServiceRequest full_request() {
    ServiceRequest r;
    r.id = "f3a9c2";
    r.service_code = "171";
    r.state = ModerationState::published;
    r.status = "open";
    r.detailed_status = "IN_PROCESS";
    r.status_notes = "Working on it";
    r.title = "Pothole";
    r.description = "Big pothole <near> the stop & a tree";
    r.agency_responsible = "City";
    r.requested_at = 1717243200;
    r.updated_at = 1717243260;
    r.address = "Mannerheimintie 1";
    r.address_id = "A-1";
    r.zipcode = "00100";
    r.lat = 60.1699;
    r.lon = 24.9384;
    r.service_object_type = "https://example.org/types/stop";
    r.service_object_id = "H1234";
    r.media_urls = {"https://img.example.org/1.jpg", "https://img.example.org/2.jpg"};
    r.can_be_published = true;
    r.submitter = {"matti@example.org",
                   "Matti",
                   "Meik\xC3\xA4l\xC3\xA4inen",
                   "+358401234567",
                   "dev-1",
                   "acc-7",
                   "fi"};
    return r;
}

Document request_list(const std::vector<ordered_json>& items, Shape shape = Shape::plain) {
    auto body = ordered_json::array();
    for (const auto& i : items) {
        body.push_back(i);
    }
    return {"service_requests", body, shape};
}

/// The drift test: JSON parsed back equals the tree (its nulls written as the profile's
/// empty value, either setting), and XML read back equals what XML can carry of the same JSON.
void expect_no_drift(const Document& doc) {
    for (EmptyValue empty : {EmptyValue::empty_string, EmptyValue::null}) {
        Profile profile;
        profile.empty_value_json = empty;
        const auto json = ordered_json::parse(write_json(doc, profile));
        EXPECT_EQ(json, json_view(doc.body, empty == EmptyValue::empty_string));
        pugi::xml_document xml;
        const auto text = write_xml(doc);
        ASSERT_TRUE(parse_xml(xml, text)) << text;
        EXPECT_STREQ(xml.document_element().name(), doc.root.c_str());
        EXPECT_EQ(read_back(xml.document_element()), xml_view(json)) << text;
    }
}

/// Every object key anywhere in `value`.
void collect_keys(const ordered_json& value, std::vector<std::string>& out) {
    if (value.is_object()) {
        for (const auto& [k, v] : value.items()) {
            out.push_back(k);
            collect_keys(v, out);
        }
    } else if (value.is_array()) {
        for (const auto& v : value) {
            collect_keys(v, out);
        }
    }
}

bool has_key(const ordered_json& value, const std::string& key) {
    std::vector<std::string> keys;
    collect_keys(value, keys);
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

bool xml_has_element(const pugi::xml_node& node, const std::string& name) {
    for (auto child : node.children()) {
        if (child.type() == pugi::node_element &&
            (name == child.name() || xml_has_element(child, name))) {
            return true;
        }
    }
    return false;
}

TEST(Trees, ServicesDriftFree) {
    expect_no_drift(services_tree(
        {waste_service(), plain_service("2806.10"), plain_service("9", ServiceType::batch)},
        "fi",
        "en"));
}

TEST(Trees, EmptyServiceListDriftFree) {
    expect_no_drift(services_tree({}, "en", "en"));
}

TEST(Trees, ServicesLeaveOutInactiveOnes) {
    auto gone = waste_service();
    gone.code = "2806.10.5";
    gone.active = false;
    auto doc = services_tree({waste_service(), gone}, "en", "en");
    ASSERT_EQ(doc.body.size(), 1U);
    EXPECT_EQ(doc.body[0]["service_code"], "2806.10.4");
}

TEST(Trees, ServicesCarryLocaleMetadataAndType) {
    auto doc = services_tree({waste_service(), plain_service("9", ServiceType::batch)}, "fi", "en");
    ASSERT_EQ(doc.root, "services");
    ASSERT_EQ(doc.body.size(), 2U);
    EXPECT_EQ(doc.body[0]["service_code"], "2806.10.4");
    EXPECT_EQ(doc.body[0]["service_name"], "J\xC3\xA4tehuolto");
    EXPECT_EQ(doc.body[0]["metadata"], true);
    EXPECT_EQ(doc.body[0]["type"], "realtime");
    EXPECT_EQ(doc.body[0]["group"], "Palvelut");
    EXPECT_EQ(doc.body[1]["metadata"], false);
    EXPECT_EQ(doc.body[1]["type"], "batch");
    EXPECT_EQ(doc.body[1]["service_name"], "Service 9");  // fi missing → fallback en
}

TEST(Trees, ServicesGroupByLevelWhenCatalogueGivesNone) {
    auto doc = services_tree({plain_service("2806"), plain_service("2806.10.2.2")}, "en", "en");
    EXPECT_EQ(doc.body[0]["group"], "Divisions");
    EXPECT_EQ(doc.body[1]["group"], "Topics");
}

TEST(Trees, ServicesXmlMetadataIsBoolean) {
    pugi::xml_document xml;
    ASSERT_TRUE(parse_xml(
        xml, write_xml(services_tree({waste_service(), plain_service("1")}, "en", "en"))));
    auto first = xml.child("services").child("service");
    EXPECT_STREQ(first.child("metadata").text().as_string(), "true");
    EXPECT_STREQ(first.next_sibling("service").child("metadata").text().as_string(), "false");
}

TEST(Trees, ServiceDefinitionDriftFree) {
    expect_no_drift(service_definition_tree(waste_service(), "fi", "en"));
}

TEST(Trees, ServiceDefinitionWithoutAttributesDriftFree) {
    auto doc = service_definition_tree(plain_service("171"), "en", "en");
    EXPECT_TRUE(doc.body["attributes"].is_array());
    EXPECT_TRUE(doc.body["attributes"].empty());
    expect_no_drift(doc);
}

TEST(Trees, ServiceDefinitionAttributes) {
    auto doc = service_definition_tree(waste_service(), "fi", "en");
    EXPECT_EQ(doc.root, "service_definition");
    EXPECT_EQ(doc.body["service_code"], "2806.10.4");
    const auto& attrs = doc.body["attributes"];
    ASSERT_EQ(attrs.size(), 2U);
    EXPECT_EQ(attrs[0]["code"], "WASTE_TYPE");
    EXPECT_EQ(attrs[0]["datatype"], "singlevaluelist");
    EXPECT_EQ(attrs[0]["required"], true);
    EXPECT_EQ(attrs[0]["variable"], true);
    EXPECT_EQ(attrs[0]["description"], "J\xC3\xA4tteen laji");
    EXPECT_EQ(attrs[0]["datatype_description"], "Choose one.");  // fallback
    ASSERT_EQ(attrs[0]["values"].size(), 2U);
    EXPECT_EQ(attrs[0]["values"][0]["key"], "1");
    EXPECT_EQ(attrs[0]["values"][0]["name"], "Seka");
    EXPECT_EQ(attrs[0]["values"][1]["name"], "Bulky");
    EXPECT_FALSE(attrs[1].contains("values"));
    EXPECT_EQ(attrs[1]["automated"], "hidden_field");
    EXPECT_EQ(attrs[1]["order"], 2);
}

TEST(Trees, ServiceDefinitionXmlNestsValues) {
    pugi::xml_document xml;
    ASSERT_TRUE(parse_xml(xml, write_xml(service_definition_tree(waste_service(), "en", "en"))));
    auto attr = xml.child("service_definition").child("attributes").child("attribute");
    ASSERT_TRUE(attr);
    EXPECT_STREQ(attr.child("values").child("value").child("key").text().as_string(), "1");
    EXPECT_STREQ(attr.child("values").child("value").child("name").text().as_string(), "Mixed");
    EXPECT_STREQ(attr.child("required").text().as_string(), "true");
}

TEST(Trees, PublicRequestDriftFree) {
    expect_no_drift(request_list({public_request(full_request(), "Potholes", true, Detail::full),
                                  public_request(ServiceRequest{}, "Empty", false, Detail::full)}));
    expect_no_drift(request_list({public_request(full_request(), "P", false, Detail::partial)},
                                 Shape::single_request));
}

TEST(Trees, PublicRequestFields) {
    auto r = public_request(full_request(), "Potholes", false, Detail::full);
    EXPECT_EQ(r["service_request_id"], "f3a9c2");
    EXPECT_EQ(r["status"], "open");
    EXPECT_EQ(r["service_name"], "Potholes");
    EXPECT_EQ(r["description"], "Big pothole <near> the stop & a tree");
    EXPECT_EQ(r["requested_datetime"], "2024-06-01T12:00:00Z");
    EXPECT_EQ(r["updated_datetime"], "2024-06-01T12:01:00Z");
    EXPECT_DOUBLE_EQ(r["lat"].get<double>(), 60.1699);
    EXPECT_DOUBLE_EQ(r["long"].get<double>(), 24.9384);
    EXPECT_EQ(r["media_url"], "https://img.example.org/1.jpg");
    EXPECT_FALSE(r.contains("extended_attributes"));
}

TEST(Trees, PublicRequestDatetimesParseBack) {
    auto r = public_request(full_request(), "P", false, Detail::full);
    EXPECT_EQ(parse_w3c(r["requested_datetime"].get<std::string>()),
              std::optional<Timestamp>(1717243200));
}

TEST(Trees, PublicRequestExtensions) {
    auto r = public_request(full_request(), "Potholes", true, Detail::full);
    ASSERT_TRUE(r.contains("extended_attributes"));
    const auto& ext = r["extended_attributes"];
    EXPECT_EQ(ext["title"], "Pothole");
    EXPECT_EQ(ext["service_object_id"], "H1234");
    EXPECT_EQ(ext["detailed_status"], "IN_PROCESS");
    EXPECT_EQ(ext["media_urls"].size(), 2U);
}

TEST(Trees, PublicRequestNeverContainsPersonalFields) {
    for (bool ext : {false, true}) {
        for (Detail d : {Detail::full, Detail::partial}) {
            auto doc = request_list({public_request(full_request(), "P", ext, d)});
            for (const auto& name : personal_field_names()) {
                EXPECT_FALSE(has_key(doc.body, name)) << name;
                pugi::xml_document xml;
                ASSERT_TRUE(parse_xml(xml, write_xml(doc)));
                EXPECT_FALSE(xml_has_element(xml, name)) << name;
            }
            const auto json = write_json(doc, Profile{});
            EXPECT_EQ(json.find("matti@example.org"), std::string::npos);
            EXPECT_EQ(json.find("+358401234567"), std::string::npos);
        }
    }
}

TEST(Trees, PersonalFieldNamesCoverTheSubmitter) {
    const auto& names = personal_field_names();
    for (const char* n : {"email", "first_name", "last_name", "phone", "device_id", "account_id"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
    }
}

TEST(Trees, StaffRequestCarriesPersonalFields) {
    auto r = staff_request(full_request(), "P");
    for (const auto& name : personal_field_names()) {
        EXPECT_TRUE(r.contains(name)) << name;
    }
    EXPECT_EQ(r["email"], "matti@example.org");
    EXPECT_EQ(r["phone"], "+358401234567");
    EXPECT_EQ(r["account_id"], "acc-7");
    EXPECT_EQ(r["state"], "published");
    EXPECT_EQ(r["can_be_published"], true);
}

TEST(Trees, PartialDetailHidesWhatTheCitizenWrote) {
    auto r = public_request(full_request(), "Potholes", true, Detail::partial);
    for (const char* hidden : {"description",
                               "lat",
                               "long",
                               "address",
                               "address_id",
                               "zipcode",
                               "media_url",
                               "status_notes",
                               "extended_attributes"}) {
        EXPECT_FALSE(r.contains(hidden)) << hidden;
    }
    EXPECT_FALSE(has_key(r, "title"));
    for (const char* shown : {"service_request_id",
                              "status",
                              "service_code",
                              "service_name",
                              "requested_datetime",
                              "updated_datetime"}) {
        EXPECT_TRUE(r.contains(shown)) << shown;
    }
}

TEST(Trees, ErrorsDriftFree) {
    auto doc = errors_tree({{400, "lat: expected a number"}, {404, "service_code: unknown"}});
    expect_no_drift(doc);
    auto json = ordered_json::parse(write_json(doc, Profile{}));
    ASSERT_TRUE(json.is_array());
    EXPECT_EQ(json[0]["code"], 400);
    EXPECT_EQ(json[1]["description"], "service_code: unknown");
    pugi::xml_document xml;
    ASSERT_TRUE(parse_xml(xml, write_xml(doc)));
    EXPECT_EQ(xml.child("errors").child("error").child("code").text().as_int(), 400);
}

TEST(Trees, PostResponseDriftFree) {
    auto r = full_request();
    r.service_notice = "Thanks";
    auto doc = post_response_tree(r);
    expect_no_drift(doc);
    EXPECT_EQ(doc.shape, Shape::post_response);
    EXPECT_EQ(doc.body[0]["service_request_id"], "f3a9c2");
    EXPECT_EQ(doc.body[0]["service_notice"], "Thanks");
    EXPECT_EQ(doc.body[0]["account_id"], "acc-7");  // GeoReport v2 echoes the account id
    EXPECT_FALSE(doc.body[0].contains("email"));
}

TEST(Trees, PostResponseOfBatchServiceAnswersToken) {
    auto r = full_request();
    r.token = "tok-1";
    auto doc = post_response_tree(r);
    EXPECT_EQ(doc.body[0]["token"], "tok-1");
    EXPECT_FALSE(doc.body[0].contains("service_request_id"));
    expect_no_drift(doc);
}

TEST(Trees, PostResponseOfBlackboxServiceAnswersNoId) {
    auto doc = post_response_tree(full_request(), ServiceType::blackbox);
    EXPECT_FALSE(doc.body[0].contains("service_request_id"));
    EXPECT_FALSE(doc.body[0].contains("token"));
    EXPECT_TRUE(doc.body[0].contains("service_notice"));
    expect_no_drift(doc);
}

TEST(Trees, PostResponseShapeFollowsProfile) {
    auto doc = post_response_tree(full_request());
    Profile object;
    object.post_response_json = JsonShape::object;
    EXPECT_TRUE(ordered_json::parse(write_json(doc, Profile{})).is_array());
    auto unwrapped = ordered_json::parse(write_json(doc, object));
    ASSERT_TRUE(unwrapped.is_object());
    EXPECT_EQ(unwrapped["service_request_id"], "f3a9c2");
}

TEST(Trees, TokenDriftFree) {
    auto doc = token_tree("tok-1", "req-1");
    expect_no_drift(doc);
    EXPECT_EQ(doc.body[0]["service_request_id"], "req-1");
    EXPECT_EQ(doc.body[0]["token"], "tok-1");
}

TEST(Trees, DiscoveryDriftFree) {
    Config config;
    auto doc = discovery_tree(config, "https://api.example.org/open311/v2", 1262304000);
    expect_no_drift(doc);
    EXPECT_EQ(doc.root, "discovery");
    EXPECT_EQ(doc.body["changeset"], "2010-01-01T00:00:00Z");
    EXPECT_EQ(doc.body["contact"], config.contact);
    const auto& endpoint = doc.body["endpoints"][0];
    EXPECT_EQ(endpoint["specification"], "http://wiki.open311.org/GeoReport_v2");
    EXPECT_EQ(endpoint["url"], "https://api.example.org/open311/v2");
    EXPECT_EQ(endpoint["type"], "production");
    EXPECT_EQ(endpoint["formats"], ordered_json::array({"text/xml", "application/json"}));
}

}  // namespace
}  // namespace open311::format
