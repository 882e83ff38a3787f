// The compatibility profiles and the jurisdiction rule (issue 2, "Compatibility profiles").
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace open311::test {
namespace {

void helsinki(Config& c) {
    c.profile = *profile_by_name("helsinki");
}

using Fields = std::vector<std::pair<std::string, std::string>>;

/// A POST body: the client key, service 171 and the given fields (a field given twice wins).
Fields base_fields(const TestServer& server, const Fields& extra, bool with_point = true) {
    Fields fields = {{"api_key", server.client_key}, {"service_code", "171"}};
    if (with_point) {
        fields.emplace_back("lat", "60.1699");
        fields.emplace_back("long", "24.9384");
    }
    fields.insert(fields.end(), extra.begin(), extra.end());
    return fields;
}

Response post(const TestServer& server, const Fields& fields, const std::string& suffix = ".json") {
    return server.client().post_form(server.base() + "/requests" + suffix, form(fields));
}

/// Expects a 400 whose JSON error list names `field`.
void expect_bad(const Response& r, const std::string& field) {
    EXPECT_EQ(r.status, 400) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_array() && !j.empty()) << r.body;
    bool named = false;
    for (const auto& e : j) {
        EXPECT_EQ(e.value("code", 0), 400);
        named = named || e.value("description", "").find(field) != std::string::npos;
    }
    EXPECT_TRUE(named) << field << " not named in " << r.body;
}

std::vector<std::string> ids_of(const Response& r) {
    std::vector<std::string> ids;
    for (const auto& item : r.json()) {
        ids.push_back(item.value("service_request_id", ""));
    }
    return ids;
}

bool has_id(const std::vector<std::string>& ids, const std::string& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

TEST(Profiles, HelsinkiDescriptionIsRequiredTenToFiveThousand) {
    TestServer server(helsinki);
    expect_bad(post(server, base_fields(server, {{"description", "Kuoppa"}})), "description");
    expect_bad(post(server, base_fields(server, {{"description", "abcde"}})), "description");
    expect_bad(post(server, base_fields(server, {})), "description");
    expect_bad(post(server, base_fields(server, {{"description", "   \r\n   "}})), "description");
    expect_bad(post(server, base_fields(server, {{"description", std::string(5001, 'x')}})),
               "description");
    // Ten code points, twenty bytes: counted as characters.
    auto ten = post(server, base_fields(server, {{"description", "ääääåååööö"}}));
    EXPECT_EQ(ten.status, 200) << ten.body;
    auto max = post(server, base_fields(server, {{"description", std::string(5000, 'x')}}));
    EXPECT_EQ(max.status, 200) << max.body;
}

TEST(Profiles, GeoreportDescriptionIsOptional) {
    TestServer server;
    auto none = post(server, base_fields(server, {}));
    EXPECT_EQ(none.status, 200) << none.body;
    auto short_one = post(server, base_fields(server, {{"description", "abcde"}}));
    EXPECT_EQ(short_one.status, 200) << short_one.body;
    expect_bad(post(server, base_fields(server, {{"description", std::string(4001, 'x')}})),
               "description");
}

TEST(Profiles, HelsinkiRefusesAddressAloneAsLocation) {
    TestServer server(helsinki);
    const Fields text = {{"description", "Roskia kadulla joka paikassa"}};
    auto address = base_fields(server, text, false);
    address.emplace_back("address_string", "Mannerheimintie 1, Helsinki");
    expect_bad(post(server, address), "location");
    auto address_id = base_fields(server, text, false);
    address_id.emplace_back("address_id", "12345");
    expect_bad(post(server, address_id), "location");
    auto object = base_fields(server, text, false);
    object.emplace_back("service_object_id", "40156");
    object.emplace_back("service_object_type", "http://www.hel.fi/servicemap/v2");
    auto ok = post(server, object);
    EXPECT_EQ(ok.status, 200) << ok.body;
    // The Helsinki clients send address_string together with lat/long: that is fine.
    auto both = base_fields(server, text);
    both.emplace_back("address_string", "Mannerheimintie 1, Helsinki");
    EXPECT_EQ(post(server, both).status, 200);
}

TEST(Profiles, GeoreportAcceptsAddressAloneAsLocation) {
    TestServer server;
    auto address = base_fields(server, {{"description", "Roskia"}}, false);
    address.emplace_back("address_string", "Mannerheimintie 1, Helsinki");
    auto r = post(server, address);
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST(Profiles, HelsinkiRadiusIsInKilometres) {
    TestServer server(helsinki);
    auto id = server.submit_published();
    // 300 m north of the request (one degree of latitude is about 111.3 km).
    const std::string from = "lat=60.172595&long=24.9384";
    auto near = server.client().get(server.base() + "/requests.json?" + from + "&radius=0.5");
    ASSERT_EQ(near.status, 200) << near.body;
    EXPECT_TRUE(has_id(ids_of(near), id)) << near.body;
    auto far = server.client().get(server.base() + "/requests.json?" + from + "&radius=0.1");
    ASSERT_EQ(far.status, 200) << far.body;
    EXPECT_FALSE(has_id(ids_of(far), id)) << far.body;
}

TEST(Profiles, GeoreportRadiusIsInMetres) {
    TestServer server;
    auto id = server.submit_published();
    const std::string from = "lat=60.172595&long=24.9384";
    auto near = server.client().get(server.base() + "/requests.json?" + from + "&radius=500");
    ASSERT_EQ(near.status, 200) << near.body;
    EXPECT_TRUE(has_id(ids_of(near), id));
    auto tiny = server.client().get(server.base() + "/requests.json?" + from + "&radius=0.5");
    ASSERT_EQ(tiny.status, 200) << tiny.body;
    EXPECT_FALSE(has_id(ids_of(tiny), id));
    auto far = server.client().get(server.base() + "/requests.json?" + from + "&radius=100");
    EXPECT_FALSE(has_id(ids_of(far), id));
}

TEST(Profiles, HelsinkiHidesPendingById) {
    TestServer server(helsinki);
    auto id = server.submit();
    for (const char* suffix : {".json", ".xml"}) {
        auto r = server.client().get(server.base() + "/requests/" + id + suffix);
        EXPECT_EQ(r.status, 404) << suffix << " " << r.body;
    }
    auto json = server.client().get(server.base() + "/requests/" + id + ".json");
    ASSERT_TRUE(json.json().is_array());
    EXPECT_EQ(json.json()[0].value("code", 0), 404);
    server.publish(id);
    EXPECT_EQ(server.client().get(server.base() + "/requests/" + id + ".json").status, 200);
}

TEST(Profiles, HelsinkiListsAtMostTwoHundred) {
    TestServer server(helsinki);
    const Timestamp t = now();
    for (int i = 0; i < 205; ++i) {
        ServiceRequest r;
        r.id = "bulk-" + std::to_string(1000 + i);
        r.service_code = "171";
        r.state = ModerationState::published;
        r.description = "Massapalaute numero " + std::to_string(i);
        r.lat = 60.17;
        r.lon = 24.94;
        r.can_be_published = true;
        r.requested_at = t - i;
        r.updated_at = t - i;
        server.store().insert_request(r);
    }
    auto big = server.client().get(server.base() + "/requests.json?page_size=500");
    ASSERT_EQ(big.status, 200) << big.body.substr(0, 300);
    EXPECT_EQ(big.json().size(), 200U);
    EXPECT_EQ(big.header("X-Total-Count"), "205");
    auto first = ids_of(big);
    EXPECT_EQ(first.front(), "bulk-1000");  // newest first
    auto plain = server.client().get(server.base() + "/requests.xml");
    ASSERT_EQ(plain.status, 200);
    auto doc = plain.xml();
    auto items = doc->child("service_requests").children("request");
    EXPECT_EQ(std::distance(items.begin(), items.end()), 200);
    auto rest = server.client().get(server.base() + "/requests.json?page_size=200&page=2");
    ASSERT_EQ(rest.status, 200);
    auto second = ids_of(rest);
    ASSERT_EQ(second.size(), 5U);
    for (const auto& id : second) {
        EXPECT_FALSE(has_id(first, id)) << id;
    }
}

TEST(Profiles, DefaultJsonShapesAreArrays) {
    TestServer server;
    auto r = post(server,
                  base_fields(server, {{"description", "Taulukko"}, {"can_be_published", "true"}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_array() && j.size() == 1) << r.body;
    auto id = j[0].value("service_request_id", "");
    server.publish(id);
    auto one = server.client().get(server.base() + "/requests/" + id + ".json").json();
    ASSERT_TRUE(one.is_array() && one.size() == 1) << one.dump();
    EXPECT_EQ(one[0].value("service_request_id", ""), id);
}

TEST(Profiles, JsonObjectShapeWhenConfigured) {
    TestServer server([](Config& c) {
        c.profile.post_response_json = JsonShape::object;
        c.profile.single_request_json = JsonShape::object;
    });
    auto r = post(server,
                  base_fields(server, {{"description", "Objekti"}, {"can_be_published", "true"}}));
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_object()) << r.body;
    const auto id = j.value("service_request_id", "");
    ASSERT_FALSE(id.empty());
    server.publish(id);
    auto one = server.client().get(server.base() + "/requests/" + id + ".json");
    ASSERT_EQ(one.status, 200);
    ASSERT_TRUE(one.json().is_object()) << one.body;
    EXPECT_EQ(one.json().value("service_request_id", ""), id);
    // Lists stay lists, and XML is unaffected.
    auto list = server.client().get(server.base() + "/requests.json");
    ASSERT_TRUE(list.json().is_array());
    EXPECT_EQ(list.json().size(), 1U);
    auto xml = server.client().get(server.base() + "/requests/" + id + ".xml");
    EXPECT_EQ(std::string(xml.xml()
                              ->child("service_requests")
                              .child("request")
                              .child_value("service_request_id")),
              id);
}

TEST(Profiles, SeveralJurisdictionsRequireAKnownOne) {
    TestServer server([](Config& c) { c.jurisdictions = {"hel.fi", "espoo.fi"}; });
    for (const char* path : {"/services.json", "/requests.json", "/discovery.json"}) {
        SCOPED_TRACE(path);
        auto missing = server.client().get(server.base() + path);
        expect_bad(missing, "jurisdiction_id");
        auto unknown = server.client().get(server.base() + path + "?jurisdiction_id=vantaa.fi");
        EXPECT_EQ(unknown.status, 404) << unknown.body;
        EXPECT_EQ(unknown.json()[0].value("code", 0), 404);
        EXPECT_EQ(server.client().get(server.base() + path + "?jurisdiction_id=espoo.fi").status,
                  200);
    }
    auto xml = server.client().get(server.base() + "/services.xml");
    EXPECT_EQ(xml.status, 400);
    EXPECT_FALSE(xml.xml()->child("errors").child("error").empty());
    expect_bad(post(server, base_fields(server, {})), "jurisdiction_id");
    EXPECT_EQ(post(server, base_fields(server, {{"jurisdiction_id", "turku.fi"}})).status, 404);
    auto ok = post(server, base_fields(server, {{"jurisdiction_id", "hel.fi"}}));
    EXPECT_EQ(ok.status, 200) << ok.body;
}

TEST(Profiles, OneJurisdictionIgnoresTheParameter) {
    TestServer server;
    for (const char* query : {"", "?jurisdiction_id=hel.fi", "?jurisdiction_id=whatever.example"}) {
        SCOPED_TRACE(query);
        EXPECT_EQ(server.client().get(server.base() + "/services.json" + std::string(query)).status,
                  200);
        EXPECT_EQ(server.client().get(server.base() + "/requests.xml" + std::string(query)).status,
                  200);
    }
    auto r = post(server, base_fields(server, {{"jurisdiction_id", "some-other-city"}}));
    EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace open311::test
