#include "format/document.hpp"

#include "unit/spark_readback.hpp"
#include "util/text.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <string>

namespace open311::format {
namespace {

using nlohmann::ordered_json;
using open311::testing::parse_xml;
using open311::testing::read_back;
using open311::testing::xml_view;

Profile object_profile() {
    Profile p;
    p.post_response_json = JsonShape::object;
    p.single_request_json = JsonShape::object;
    return p;
}

Document one_request(Shape shape) {
    return {
        "service_requests",
        ordered_json::array({ordered_json{{"service_request_id", "abc"}, {"service_notice", ""}}}),
        shape};
}

TEST(Singular, UsesTheSparkTable) {
    EXPECT_EQ(singular("services"), "service");
    EXPECT_EQ(singular("service_requests"), "request");
    EXPECT_EQ(singular("errors"), "error");
    EXPECT_EQ(singular("attributes"), "attribute");
    EXPECT_EQ(singular("values"), "value");
    EXPECT_EQ(singular("endpoints"), "endpoint");
    EXPECT_EQ(singular("formats"), "format");
    EXPECT_EQ(singular("media_urls"), "media_url");
}

TEST(ContentType, DeclaresUtf8) {
    EXPECT_EQ(std::string(content_type(Format::json)), "application/json; charset=utf-8");
    EXPECT_EQ(std::string(content_type(Format::xml)), "text/xml; charset=utf-8");
}

TEST(WriteXml, DeclaresUtf8) {
    Document doc{"discovery", ordered_json{{"contact", "x"}}};
    const auto xml = write_xml(doc);
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, xml));
    auto decl = parsed.first_child();
    ASSERT_EQ(decl.type(), pugi::node_declaration);
    EXPECT_STREQ(decl.attribute("version").as_string(), "1.0");
    EXPECT_STREQ(decl.attribute("encoding").as_string(), "utf-8");
    EXPECT_EQ(xml.rfind("<?xml", 0), 0U);
    EXPECT_STREQ(parsed.document_element().name(), "discovery");
}

TEST(WriteXml, TopLevelArrayIsWrappedInSingulars) {
    Document doc{"errors",
                 ordered_json::array({ordered_json{{"code", 400}, {"description", "lat: bad"}},
                                      ordered_json{{"code", 404}, {"description", "gone"}}})};
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, write_xml(doc)));
    auto root = parsed.child("errors");
    ASSERT_TRUE(root);
    int count = 0;
    for (auto e : root.children("error")) {
        ++count;
        EXPECT_TRUE(e.child("code"));
    }
    EXPECT_EQ(count, 2);
    EXPECT_EQ(root.child("error").child("code").text().as_int(), 400);
    EXPECT_STREQ(root.child("error").next_sibling("error").child("description").text().as_string(),
                 "gone");
}

TEST(WriteXml, NestedArraysUseSingularNames) {
    Document doc{
        "discovery",
        ordered_json{{"endpoints",
                      ordered_json::array({ordered_json{
                          {"formats", ordered_json::array({"text/xml", "application/json"})}}})}}};
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, write_xml(doc)));
    auto formats = parsed.child("discovery").child("endpoints").child("endpoint").child("formats");
    ASSERT_TRUE(formats);
    EXPECT_STREQ(formats.first_child().name(), "format");
    EXPECT_STREQ(formats.first_child().text().as_string(), "text/xml");
    EXPECT_STREQ(formats.last_child().text().as_string(), "application/json");
}

TEST(WriteXml, BooleansAreTrueAndFalse) {
    Document doc{"service", ordered_json{{"metadata", true}, {"required", false}}};
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, write_xml(doc)));
    EXPECT_STREQ(parsed.child("service").child("metadata").text().as_string(), "true");
    EXPECT_STREQ(parsed.child("service").child("required").text().as_string(), "false");
}

TEST(WriteXml, NullAndEmptyStringAreEmptyElements) {
    Document doc{"request", ordered_json{{"lat", nullptr}, {"address", ""}, {"zipcode", "00100"}}};
    const auto text = write_xml(doc);
    EXPECT_NE(text.find("<lat></lat><address></address>"), std::string::npos) << text;
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, text));
    auto root = parsed.child("request");
    ASSERT_TRUE(root.child("lat"));
    EXPECT_STREQ(root.child("lat").text().as_string(), "");
    ASSERT_TRUE(root.child("address"));
    EXPECT_STREQ(root.child("address").text().as_string(), "");
    EXPECT_STREQ(root.child("zipcode").text().as_string(), "00100");
}

TEST(WriteXml, EscapesMarkupInText) {
    const std::string text = "a < b & <b>not a tag</b> \"q\"";
    Document doc{"request", ordered_json{{"description", text}}};
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, write_xml(doc)));
    EXPECT_EQ(std::string(parsed.child("request").child("description").text().as_string()), text);
    EXPECT_FALSE(parsed.child("request").child("description").child("b"));
}

TEST(WriteXml, KeepsUnicodeText) {
    const std::string text = "Jalkak\xC3\xA4yt\xC3\xA4v\xC3\xA4 \xE2\x82\xAC \xF0\x9F\x98\x80";
    Document doc{"request", ordered_json{{"description", text}}};
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, write_xml(doc)));
    EXPECT_EQ(std::string(parsed.child("request").child("description").text().as_string()), text);
}

TEST(WriteXml, CrlfSurvivesXml) {
    // Clients send CRLF line breaks; an XML reader must see the same text as a JSON reader.
    Document doc{"request", ordered_json{{"description", "line one\r\nline two"}}};
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, write_xml(doc)));
    EXPECT_EQ(std::string(parsed.child("request").child("description").text().as_string()),
              "line one\r\nline two");
}

TEST(WriteXml, ControlCharactersStillGiveWellFormedXml) {
    Document doc{"request", ordered_json{{"description", std::string("bell\x07 and nul-free")}}};
    pugi::xml_document parsed;
    EXPECT_TRUE(parse_xml(parsed, write_xml(doc)));
}

TEST(WriteXml, InvalidUtf8IsNotWrittenRaw) {
    // The JSON writer replaces invalid bytes (U+FFFD); a document declared utf-8 must not carry
    // them raw either, or strict XML readers refuse the whole answer.
    Document doc{"request",
                 ordered_json{{"media_url", std::string("http://x.example/\xFF\xFE.jpg")}}};
    const auto xml = write_xml(doc);
    EXPECT_TRUE(is_valid_utf8(xml));
    pugi::xml_document parsed;
    EXPECT_TRUE(parse_xml(parsed, xml));
}

TEST(WriteXml, XmlNonCharactersAreNotWritten) {
    // U+FFFE and U+FFFF are valid UTF-8 but not XML 1.0 characters (production [2] Char).
    Document doc{"request",
                 ordered_json{{"description", std::string("a\xEF\xBF\xBE b\xEF\xBF\xBF")}}};
    const auto xml = write_xml(doc);
    EXPECT_EQ(xml.find("\xEF\xBF\xBE"), std::string::npos);
    EXPECT_EQ(xml.find("\xEF\xBF\xBF"), std::string::npos);
}

TEST(WriteXml, NumbersKeepTheirJsonText) {
    Document doc{"request", ordered_json{{"lat", 60.1699}, {"order", 3}}};
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, write_xml(doc)));
    EXPECT_DOUBLE_EQ(parsed.child("request").child("lat").text().as_double(), 60.1699);
    EXPECT_EQ(parsed.child("request").child("order").text().as_int(), 3);
}

TEST(WriteJson, DropsTheRootWrapper) {
    Document doc{"discovery", ordered_json{{"contact", "x"}}};
    auto parsed = ordered_json::parse(write_json(doc, Profile{}));
    EXPECT_EQ(parsed, doc.body);
    EXPECT_FALSE(parsed.contains("discovery"));
}

TEST(WriteJson, ArrayProfileKeepsPostResponseArray) {
    auto parsed = ordered_json::parse(write_json(one_request(Shape::post_response), Profile{}));
    ASSERT_TRUE(parsed.is_array());
    ASSERT_EQ(parsed.size(), 1U);
    EXPECT_EQ(parsed[0]["service_request_id"], "abc");
}

TEST(WriteJson, ObjectProfileUnwrapsPostResponse) {
    auto parsed =
        ordered_json::parse(write_json(one_request(Shape::post_response), object_profile()));
    ASSERT_TRUE(parsed.is_object());
    EXPECT_EQ(parsed["service_request_id"], "abc");
}

TEST(WriteJson, ObjectProfileUnwrapsSingleRequest) {
    auto array = ordered_json::parse(write_json(one_request(Shape::single_request), Profile{}));
    EXPECT_TRUE(array.is_array());
    auto object =
        ordered_json::parse(write_json(one_request(Shape::single_request), object_profile()));
    ASSERT_TRUE(object.is_object());
    EXPECT_EQ(object["service_request_id"], "abc");
}

TEST(WriteJson, ShapesAreIndependentSettings) {
    Profile p;
    p.post_response_json = JsonShape::object;  // single_request_json stays array
    EXPECT_TRUE(ordered_json::parse(write_json(one_request(Shape::post_response), p)).is_object());
    EXPECT_TRUE(ordered_json::parse(write_json(one_request(Shape::single_request), p)).is_array());
}

TEST(WriteJson, PlainDocumentsAreNeverUnwrapped) {
    auto parsed = ordered_json::parse(write_json(one_request(Shape::plain), object_profile()));
    EXPECT_TRUE(parsed.is_array());
}

TEST(WriteJson, InvalidUtf8DoesNotThrow) {
    Document doc{"request", ordered_json{{"description", std::string("bad \xFF byte")}}};
    std::string out;
    ASSERT_NO_THROW(out = write_json(doc, Profile{}));
    EXPECT_TRUE(ordered_json::accept(out));
}

TEST(WriteXml, ShapeDoesNotChangeXml) {
    // Profiles only shape JSON: XML always wraps the collection.
    EXPECT_EQ(write_xml(one_request(Shape::post_response)), write_xml(one_request(Shape::plain)));
}

TEST(Drift, HandBuiltDocumentReadsBackEqual) {
    Document doc{"services",
                 ordered_json::array({ordered_json{{"service_code", "2806.10.2.2"},
                                                   {"metadata", true},
                                                   {"keywords", "a,b"},
                                                   {"order", 2},
                                                   {"lat", nullptr}},
                                      ordered_json{{"service_code", "171"}, {"metadata", false}}})};
    pugi::xml_document parsed;
    ASSERT_TRUE(parse_xml(parsed, write_xml(doc)));
    Profile null_profile;
    null_profile.empty_value_json = EmptyValue::null;
    auto json = ordered_json::parse(write_json(doc, null_profile));
    EXPECT_EQ(json, doc.body);
    EXPECT_EQ(read_back(parsed.document_element()), xml_view(json));
    // The default (georeport-v2) writes the null as "".
    auto blank = ordered_json::parse(write_json(doc, Profile{}));
    EXPECT_EQ(blank[0]["lat"], "");
}

}  // namespace
}  // namespace open311::format
