// GeoReport v2 "GET Service Requests" / "GET Service Request": every response field of a
// request is there, in lists and by id, in both formats. A field without a value is an empty
// element in XML, and in JSON the profile's empty value: "" (georeport-v2, as mySociety's
// OpenAPI description types the fields as strings) or null (helsinki, as H2024 shows).
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

namespace open311::test {
namespace {

/// The response fields of a service request, in the specification's order.
const std::vector<std::string>& contract_fields() {
    static const std::vector<std::string> kFields = {"service_request_id",
                                                     "status",
                                                     "status_notes",
                                                     "service_name",
                                                     "service_code",
                                                     "description",
                                                     "agency_responsible",
                                                     "service_notice",
                                                     "requested_datetime",
                                                     "updated_datetime",
                                                     "expected_datetime",
                                                     "address",
                                                     "address_id",
                                                     "zipcode",
                                                     "lat",
                                                     "long",
                                                     "media_url"};
    return kFields;
}

/// The fields a request stored by bare_request() has no value for: empty texts (always "")...
const std::vector<std::string>& empty_text_fields() {
    static const std::vector<std::string> kFields = {
        "status_notes", "agency_responsible", "service_notice", "address", "address_id", "zipcode"};
    return kFields;
}
/// ...and the fields that are unset rather than empty (JSON: the profile's empty value).
const std::vector<std::string>& unset_fields() {
    static const std::vector<std::string> kFields = {
        "expected_datetime", "lat", "long", "media_url"};
    return kFields;
}

void use_helsinki(Config& c) {
    c.profile = *profile_by_name("helsinki");
}

/// A published request with only what a request must have: no location, no expected
/// datetime, no photo, no detailed status. Stored directly: POST always gives a location.
ServiceRequest bare_request(const std::string& id) {
    ServiceRequest r;
    r.id = id;
    r.service_code = "171";
    r.state = ModerationState::published;
    r.status = "open";
    r.description = "Kuoppa ilman sijaintia";
    r.requested_at = static_cast<Timestamp>(std::time(nullptr)) - 3600;
    r.updated_at = r.requested_at;
    r.can_be_published = true;
    return r;
}

/// The <request> elements of an XML answer.
std::vector<pugi::xml_node> xml_requests(const pugi::xml_document& doc) {
    std::vector<pugi::xml_node> out;
    for (auto item : doc.child("service_requests").children("request")) {
        out.push_back(item);
    }
    return out;
}

/// Every contract field is an element; the valueless ones are empty.
void expect_xml_fields(const pugi::xml_node& request, bool bare) {
    for (const auto& name : contract_fields()) {
        EXPECT_TRUE(request.child(name.c_str())) << "<" << name << "> missing";
    }
    if (!bare) {
        return;
    }
    auto valueless = empty_text_fields();
    valueless.insert(valueless.end(), unset_fields().begin(), unset_fields().end());
    for (const auto& name : valueless) {
        auto element = request.child(name.c_str());
        EXPECT_STREQ(element.child_value(), "") << name;
        EXPECT_FALSE(element.find_child([](pugi::xml_node n) {
            return n.type() == pugi::node_element;
        })) << name;
    }
}

/// Every contract field is a member; the valueless ones are `empty` ("" or null).
void expect_json_fields(const nlohmann::json& request, bool bare, const nlohmann::json& empty) {
    for (const auto& name : contract_fields()) {
        EXPECT_TRUE(request.contains(name)) << "\"" << name << "\" missing";
    }
    if (!bare) {
        return;
    }
    for (const auto& name : empty_text_fields()) {
        EXPECT_EQ(request.value(name, nlohmann::json()), "") << name;
    }
    for (const auto& name : unset_fields()) {
        EXPECT_EQ(request.value(name, nlohmann::json("(missing)")), empty) << name;
    }
}

/// Checks a list and each request by id, in both formats, with and without extensions.
void expect_every_field(TestServer& server,
                        const std::string& bare_id,
                        const std::string& full_id,
                        const nlohmann::json& empty) {
    auto c = server.client();
    for (const char* ext : {"", "?extensions=true"}) {
        auto list = c.get(server.base() + "/requests.xml" + ext);
        ASSERT_EQ(list.status, 200) << list.body;
        auto doc = list.xml();
        const auto items = xml_requests(*doc);
        ASSERT_EQ(items.size(), 2U) << list.body;
        for (const auto& item : items) {
            expect_xml_fields(item, item.child_value("service_request_id") == bare_id);
        }
        auto json = c.get(server.base() + "/requests.json" + ext);
        ASSERT_EQ(json.status, 200) << json.body;
        const auto array = json.json();
        ASSERT_EQ(array.size(), 2U) << json.body;
        for (const auto& item : array) {
            expect_json_fields(item, item["service_request_id"] == bare_id, empty);
        }
        for (const auto& id : {bare_id, full_id}) {
            auto one = c.get(server.base() + "/requests/" + id + ".xml" + ext);
            ASSERT_EQ(one.status, 200) << one.body;
            auto one_doc = one.xml();
            const auto one_items = xml_requests(*one_doc);
            ASSERT_EQ(one_items.size(), 1U) << one.body;
            expect_xml_fields(one_items[0], id == bare_id);
            auto one_json = c.get(server.base() + "/requests/" + id + ".json" + ext);
            ASSERT_EQ(one_json.status, 200) << one_json.body;
            const auto one_array = one_json.json();
            ASSERT_EQ(one_array.size(), 1U) << one_json.body;
            expect_json_fields(one_array[0], id == bare_id, empty);
        }
    }
}

TEST(EmptyFields, GeoReportProfileWritesEveryFieldAndEmptyStrings) {
    TestServer server;
    server.store().insert_request(bare_request("bare"));
    const auto full = server.submit_published({{"address_string", "Mannerheimintie 1"}});
    expect_every_field(server, "bare", full, "");

    // The submitted request has a location but neither an expected datetime nor a photo.
    auto j = server.client().get(server.base() + "/requests/" + full + ".json").json();
    EXPECT_EQ(j[0]["expected_datetime"], "");
    EXPECT_EQ(j[0]["media_url"], "");
    EXPECT_TRUE(j[0]["lat"].is_number());
}

TEST(EmptyFields, HelsinkiProfileWritesEveryFieldAndNulls) {
    TestServer server(use_helsinki);
    server.store().insert_request(bare_request("bare"));
    const auto full = server.submit_published({{"title", "Kuoppa"}});
    expect_every_field(server, "bare", full, nullptr);
}

TEST(EmptyFields, TheSettingOverridesTheProfile) {
    TestServer server([](Config& c) {
        use_helsinki(c);
        c.profile.empty_value_json = EmptyValue::empty_string;
    });
    server.store().insert_request(bare_request("bare"));
    const auto full = server.submit_published();
    expect_every_field(server, "bare", full, "");
}

TEST(EmptyFields, ExtensionWithoutValueFollowsTheSetting) {
    for (bool helsinki : {false, true}) {
        TestServer server([helsinki](Config& c) {
            if (helsinki) {
                use_helsinki(c);
            }
        });
        server.store().insert_request(bare_request("bare"));
        auto c = server.client();
        auto j = c.get(server.base() + "/requests/bare.json?extensions=true").json();
        const auto& ext = j[0]["extended_attributes"];
        EXPECT_EQ(ext["detailed_status"], helsinki ? nlohmann::json() : nlohmann::json(""));
        EXPECT_EQ(ext["media_urls"], nlohmann::json::array());
        auto x = c.get(server.base() + "/requests/bare.xml?extensions=true").xml();
        auto element = x->child("service_requests")
                           .child("request")
                           .child("extended_attributes")
                           .child("detailed_status");
        EXPECT_TRUE(element) << "helsinki=" << helsinki;
        EXPECT_STREQ(element.child_value(), "");
    }
}

// A stored text that is not valid UTF-8 takes the tree path (its writers repair the text):
// the same fields, the same empty values.
TEST(EmptyFields, TheTreePathWritesTheSameFields) {
    for (bool helsinki : {false, true}) {
        TestServer server([helsinki](Config& c) {
            if (helsinki) {
                use_helsinki(c);
            }
        });
        auto bare = bare_request("bare");
        bare.description = "rikki \xff tavu";
        server.store().insert_request(bare);
        auto c = server.client();
        auto x = c.get(server.base() + "/requests/bare.xml").xml();
        const auto items = xml_requests(*x);
        ASSERT_EQ(items.size(), 1U);
        expect_xml_fields(items[0], true);
        auto j = c.get(server.base() + "/requests/bare.json").json();
        ASSERT_EQ(j.size(), 1U);
        expect_json_fields(j[0], true, helsinki ? nlohmann::json() : nlohmann::json(""));
        EXPECT_EQ(j[0]["description"], "rikki \xEF\xBF\xBD tavu");
    }
}

}  // namespace
}  // namespace open311::test
