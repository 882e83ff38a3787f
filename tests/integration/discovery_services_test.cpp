// Open311 Service Discovery, GeoReport v2 "GET Service List" and "GET Service Definition",
// in both formats, over real HTTP.
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace open311::test {
namespace {

std::vector<std::string> child_names(const pugi::xml_node& node) {
    std::vector<std::string> out;
    for (auto child : node.children()) {
        if (child.type() == pugi::node_element) {
            out.emplace_back(child.name());
        }
    }
    return out;
}

/// The keys of a JSON object (nlohmann::json keeps them sorted, so compare as sets).
std::set<std::string> json_keys(const nlohmann::json& object) {
    std::set<std::string> out;
    for (const auto& [key, value] : object.items()) {
        out.insert(key);
    }
    return out;
}

const nlohmann::json* find_json_service(const nlohmann::json& list, const std::string& code) {
    for (const auto& s : list) {
        if (s.value("service_code", "") == code) {
            return &s;
        }
    }
    return nullptr;
}

pugi::xml_node find_xml_service(const pugi::xml_document& doc, const std::string& code) {
    for (auto s : doc.child("services").children("service")) {
        if (code == s.child_value("service_code")) {
            return s;
        }
    }
    return {};
}

const std::vector<std::string> kServiceFields = {
    "service_code", "service_name", "description", "metadata", "type", "keywords", "group"};
const std::vector<std::string> kRequiredCodes = {"2805",
                                                 "2806",
                                                 "2807",
                                                 "2808",
                                                 "2809",
                                                 "2806.10",
                                                 "2806.10.2",
                                                 "2806.10.2.2",
                                                 "2806.10.4",
                                                 "171",
                                                 "176",
                                                 "178",
                                                 "246"};

}  // namespace

// ---------------------------------------------------------------- discovery

TEST(Discovery, JsonDocumentHasEveryField) {
    TestServer server;
    auto r = server.client().get(server.base() + "/discovery.json");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), kJsonType);
    auto j = r.json();
    ASSERT_TRUE(j.is_object());
    EXPECT_TRUE(j["changeset"].is_string());
    EXPECT_EQ(j["contact"], server.config().contact);
    EXPECT_EQ(j["key_service"], server.config().key_service);
    ASSERT_TRUE(j["endpoints"].is_array());
    ASSERT_EQ(j["endpoints"].size(), 1U);
    const auto& e = j["endpoints"][0];
    EXPECT_EQ(e["specification"], "http://wiki.open311.org/GeoReport_v2");
    ASSERT_TRUE(e["url"].is_string());
    const auto url = e["url"].get<std::string>();
    EXPECT_TRUE(url.ends_with(server.base())) << url;
    EXPECT_EQ(e["type"], "production");
    ASSERT_TRUE(e["formats"].is_array());
    EXPECT_EQ(e["formats"], nlohmann::json::array({"text/xml", "application/json"}));
}

TEST(Discovery, XmlDocumentHasEveryField) {
    TestServer server;
    auto r = server.client().get(server.base() + "/discovery.xml");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), kXmlType);
    auto doc = r.xml();
    auto d = doc->child("discovery");
    ASSERT_FALSE(d.empty()) << r.body;
    EXPECT_FALSE(std::string(d.child_value("changeset")).empty());
    EXPECT_EQ(std::string(d.child_value("contact")), server.config().contact);
    EXPECT_EQ(std::string(d.child_value("key_service")), server.config().key_service);
    auto endpoints = d.child("endpoints");
    ASSERT_EQ(
        std::distance(endpoints.children("endpoint").begin(), endpoints.children("endpoint").end()),
        1);
    auto e = endpoints.child("endpoint");
    EXPECT_EQ(std::string(e.child_value("specification")), "http://wiki.open311.org/GeoReport_v2");
    EXPECT_TRUE(std::string(e.child_value("url")).ends_with(server.base()));
    EXPECT_EQ(std::string(e.child_value("type")), "production");
    std::vector<std::string> formats;
    for (auto f : e.child("formats").children("format")) {
        formats.emplace_back(f.child_value());
    }
    EXPECT_EQ(formats, (std::vector<std::string>{"text/xml", "application/json"}));
}

TEST(Discovery, UrlIsTheConfiguredPublicUrl) {
    TestServer server([](Config& c) { c.public_url = "https://feedback.example.org/open311/v2"; });
    auto j = server.client().get(server.base() + "/discovery.json").json();
    EXPECT_EQ(j["endpoints"][0]["url"], "https://feedback.example.org/open311/v2");
}

TEST(Discovery, DerivedUrlNamesTheBoundPort) {
    // Without public_url the advertised endpoint must be one a client can reach.
    TestServer server;
    auto j = server.client().get(server.base() + "/discovery.json").json();
    const std::string expected =
        "http://127.0.0.1:" + std::to_string(server.port()) + server.base();
    EXPECT_EQ(j["endpoints"][0]["url"], expected);
}

// ---------------------------------------------------------------- service list

TEST(Services, JsonListShapeAndCatalogue) {
    TestServer server;
    auto r = server.client().get(server.base() + "/services.json");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), kJsonType);
    auto list = r.json();
    ASSERT_TRUE(list.is_array());
    bool batch_seen = false;
    for (const auto& s : list) {
        EXPECT_EQ(json_keys(s), std::set<std::string>(kServiceFields.begin(), kServiceFields.end()))
            << s.dump();
        ASSERT_TRUE(s["metadata"].is_boolean()) << s.dump();
        EXPECT_EQ(s["metadata"].get<bool>(), s["service_code"] == "2806.10.4") << s.dump();
        EXPECT_FALSE(s["group"].get<std::string>().empty()) << s.dump();
        EXPECT_FALSE(s["service_name"].get<std::string>().empty()) << s.dump();
        EXPECT_TRUE(s["type"] == "realtime" || s["type"] == "batch" || s["type"] == "blackbox")
            << s.dump();
        batch_seen = batch_seen || s["type"] == "batch";
    }
    EXPECT_TRUE(batch_seen);
    for (const auto& code : kRequiredCodes) {
        EXPECT_NE(find_json_service(list, code), nullptr) << code;
    }
}

TEST(Services, XmlListShapeAndCatalogue) {
    TestServer server;
    auto r = server.client().get(server.base() + "/services.xml");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), kXmlType);
    auto doc = r.xml();
    auto root = doc->child("services");
    ASSERT_FALSE(root.empty());
    EXPECT_EQ(child_names(root).size(),
              static_cast<std::size_t>(
                  std::distance(root.children("service").begin(), root.children("service").end())));
    bool batch_seen = false;
    int count = 0;
    for (auto s : root.children("service")) {
        ++count;
        EXPECT_EQ(child_names(s), kServiceFields);
        const std::string metadata = s.child_value("metadata");
        EXPECT_EQ(metadata,
                  std::string(s.child_value("service_code")) == "2806.10.4" ? "true" : "false");
        EXPECT_FALSE(std::string(s.child_value("group")).empty());
        batch_seen = batch_seen || std::string(s.child_value("type")) == "batch";
    }
    EXPECT_GT(count, 0);
    EXPECT_TRUE(batch_seen);
    for (const auto& code : kRequiredCodes) {
        EXPECT_FALSE(find_xml_service(*doc, code).empty()) << code;
    }
}

TEST(Services, LocaleChoosesTheLanguageInBothFormats) {
    TestServer server;
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"", "Rat sightings"},
        {"fi", "Rottahavainnot"},
        {"fi_FI", "Rottahavainnot"},
        {"sv_SE", "Råttobservationer"},
        {"sv", "Råttobservationer"},
        {"en_US", "Rat sightings"},
        {"en_GB", "Rat sightings"},
        {"de", "Rat sightings"},
        {"%25%25_x", "Rat sightings"},
        {"__", "Rat sightings"},
    };
    for (const auto& [locale, expected] : cases) {
        const std::string query = locale.empty() ? "" : "?locale=" + locale;
        auto j = server.client().get(server.base() + "/services.json" + query);
        ASSERT_EQ(j.status, 200) << locale << ": " << j.body;
        const auto list = j.json();
        const auto* s = find_json_service(list, "2806.10.2.2");
        ASSERT_NE(s, nullptr);
        EXPECT_EQ((*s)["service_name"], expected) << locale;
        auto x = server.client().get(server.base() + "/services.xml" + query);
        ASSERT_EQ(x.status, 200) << locale;
        auto doc = x.xml();
        EXPECT_EQ(std::string(find_xml_service(*doc, "2806.10.2.2").child_value("service_name")),
                  expected)
            << locale;
    }
}

TEST(Services, GroupFollowsTheLocale) {
    TestServer server;
    auto fi = server.client().get(server.base() + "/services.json?locale=fi").json();
    ASSERT_NE(find_json_service(fi, "2806"), nullptr);
    EXPECT_EQ((*find_json_service(fi, "2806"))["group"], "Toimialat");
    EXPECT_EQ((*find_json_service(fi, "2806.10.2.2"))["group"], "Aiheet");
    auto en = server.client().get(server.base() + "/services.xml").xml();
    EXPECT_EQ(std::string(find_xml_service(*en, "2806").child_value("group")), "Divisions");
}

TEST(Services, NoSuffixChoosesByAccept) {
    TestServer server;
    auto json = server.client().get(server.base() + "/services", {{"Accept", "application/json"}});
    ASSERT_EQ(json.status, 200);
    EXPECT_EQ(json.header("Content-Type"), kJsonType);
    EXPECT_TRUE(json.json().is_array());
    auto xml = server.client().get(server.base() + "/services");
    ASSERT_EQ(xml.status, 200);
    EXPECT_EQ(xml.header("Content-Type"), kXmlType);
    EXPECT_FALSE(xml.xml()->child("services").child("service").empty());
}

// ---------------------------------------------------------------- service definition

TEST(Services, DefinitionJsonWithAttributes) {
    TestServer server;
    auto r = server.client().get(server.base() + "/services/2806.10.4.json");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), kJsonType);
    auto j = r.json();
    EXPECT_EQ(j["service_code"], "2806.10.4");
    const auto& attrs = j["attributes"];
    ASSERT_TRUE(attrs.is_array());
    ASSERT_EQ(attrs.size(), 5U);
    const std::vector<std::string> codes = {
        "WASTE_TYPE", "ACCESS", "BAG_COUNT", "LOCATION_DETAIL", "OBSERVED_AT"};
    const std::vector<std::string> types = {
        "singlevaluelist", "multivaluelist", "number", "string", "datetime"};
    for (std::size_t i = 0; i < attrs.size(); ++i) {
        const auto& a = attrs[i];
        EXPECT_EQ(a["code"], codes[i]);
        EXPECT_EQ(a["datatype"], types[i]);
        EXPECT_EQ(a["order"], static_cast<int>(i + 1));
        EXPECT_EQ(a["variable"], true);
        EXPECT_TRUE(a["required"].is_boolean());
        EXPECT_TRUE(a["datatype_description"].is_string());
        EXPECT_TRUE(a["description"].is_string());
        EXPECT_EQ(a.contains("values"), i < 2) << a.dump();
    }
    EXPECT_EQ(attrs[0]["required"], true);
    EXPECT_EQ(attrs[1]["required"], false);
    EXPECT_EQ(attrs[0]["description"], "Type of waste");
    ASSERT_EQ(attrs[0]["values"].size(), 4U);
    EXPECT_EQ(attrs[0]["values"][0], (nlohmann::json{{"key", "1"}, {"name", "Mixed waste"}}));
    EXPECT_EQ(attrs[1]["values"][3]["key"], "4");
}

TEST(Services, DefinitionXmlWithAttributes) {
    TestServer server;
    auto r = server.client().get(server.base() + "/services/2806.10.4.xml?locale=fi");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), kXmlType);
    auto doc = r.xml();
    auto def = doc->child("service_definition");
    EXPECT_EQ(std::string(def.child_value("service_code")), "2806.10.4");
    std::vector<pugi::xml_node> attrs;
    for (auto a : def.child("attributes").children("attribute")) {
        attrs.push_back(a);
    }
    ASSERT_EQ(attrs.size(), 5U);
    const std::vector<std::string> names = {"variable",
                                            "code",
                                            "datatype",
                                            "required",
                                            "datatype_description",
                                            "order",
                                            "description",
                                            "values"};
    EXPECT_EQ(child_names(attrs[0]), names);
    EXPECT_EQ(std::string(attrs[0].child_value("code")), "WASTE_TYPE");
    EXPECT_EQ(std::string(attrs[0].child_value("required")), "true");
    EXPECT_EQ(std::string(attrs[0].child_value("variable")), "true");
    EXPECT_EQ(std::string(attrs[0].child_value("order")), "1");
    EXPECT_EQ(std::string(attrs[0].child_value("description")), "Jätteen laji");
    auto first = attrs[0].child("values").child("value");
    EXPECT_EQ(std::string(first.child_value("key")), "1");
    EXPECT_EQ(std::string(first.child_value("name")), "Sekajäte");
    EXPECT_EQ(std::string(attrs[2].child_value("datatype")), "number");
    EXPECT_TRUE(attrs[2].child("values").empty());
    EXPECT_EQ(std::string(attrs[4].child_value("datatype")), "datetime");
    EXPECT_EQ(std::string(attrs[4].child_value("order")), "5");
}

TEST(Services, DottedCodeWithoutMetadataHasEmptyAttributes) {
    TestServer server;
    auto r = server.client().get(server.base() + "/services/2806.10.2.2.json");
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    EXPECT_EQ(j["service_code"], "2806.10.2.2");
    ASSERT_TRUE(j["attributes"].is_array());
    EXPECT_TRUE(j["attributes"].empty());

    auto x = server.client().get(server.base() + "/services/2806.10.2.2.xml");
    ASSERT_EQ(x.status, 200);
    auto doc = x.xml();
    EXPECT_EQ(std::string(doc->child("service_definition").child_value("service_code")),
              "2806.10.2.2");
    EXPECT_TRUE(doc->child("service_definition").child("attributes").child("attribute").empty());
}

TEST(Services, DefinitionWithoutSuffixChoosesByAccept) {
    TestServer server;
    auto json = server.client().get(server.base() + "/services/2806.10.4",
                                    {{"Accept", "application/json"}});
    ASSERT_EQ(json.status, 200) << json.body;
    EXPECT_EQ(json.header("Content-Type"), kJsonType);
    EXPECT_EQ(json.json()["service_code"], "2806.10.4");
    auto xml = server.client().get(server.base() + "/services/2806.10.2.2");
    ASSERT_EQ(xml.status, 200) << xml.body;
    EXPECT_EQ(xml.header("Content-Type"), kXmlType);
    EXPECT_EQ(std::string(xml.xml()->child("service_definition").child_value("service_code")),
              "2806.10.2.2");
}

TEST(Services, UnknownCodeIs404InTheRequestedFormat) {
    TestServer server;
    auto json = server.client().get(server.base() + "/services/9999.json");
    ASSERT_EQ(json.status, 404);
    EXPECT_EQ(json.header("Content-Type"), kJsonType);
    auto j = json.json();
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 1U);
    EXPECT_EQ(j[0]["code"], 404);
    EXPECT_NE(j[0]["description"].get<std::string>().find("service_code"), std::string::npos);

    auto xml = server.client().get(server.base() + "/services/9999.xml");
    ASSERT_EQ(xml.status, 404);
    EXPECT_EQ(xml.header("Content-Type"), kXmlType);
    auto doc = xml.xml();
    auto error = doc->child("errors").child("error");
    EXPECT_EQ(error.child("code").text().as_int(), 404);
    EXPECT_NE(std::string(error.child_value("description")).find("service_code"),
              std::string::npos);
}

TEST(Services, JurisdictionIdIsIgnoredWithOneJurisdiction) {
    TestServer server;
    auto r = server.client().get(server.base() + "/services.json?jurisdiction_id=somewhere.else");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(find_json_service(r.json(), "171"), nullptr);
    auto d =
        server.client().get(server.base() + "/services/171.xml?jurisdiction_id=hel.fi&api_key=");
    ASSERT_EQ(d.status, 200) << d.body;
    EXPECT_EQ(std::string(d.xml()->child("service_definition").child_value("service_code")), "171");
}

}  // namespace open311::test
