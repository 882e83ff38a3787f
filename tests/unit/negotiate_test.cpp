#include "api/core/router.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace open311::api {
namespace {

using format::Format;

TEST(StripFormatSuffix, DottedServiceCodeKeepsItsDots) {
    std::string path = "/services/2806.10.2.2.json";
    EXPECT_EQ(strip_format_suffix(path), std::optional<Format>(Format::json));
    EXPECT_EQ(path, "/services/2806.10.2.2");
}

TEST(StripFormatSuffix, XmlSuffix) {
    std::string path = "/services/2806.10.2.2.xml";
    EXPECT_EQ(strip_format_suffix(path), std::optional<Format>(Format::xml));
    EXPECT_EQ(path, "/services/2806.10.2.2");
}

TEST(StripFormatSuffix, PlainResources) {
    std::string services = "/services.json";
    EXPECT_EQ(strip_format_suffix(services), std::optional<Format>(Format::json));
    EXPECT_EQ(services, "/services");
    std::string discovery = "/discovery.xml";
    EXPECT_EQ(strip_format_suffix(discovery), std::optional<Format>(Format::xml));
    EXPECT_EQ(discovery, "/discovery");
}

TEST(StripFormatSuffix, NoSuffixLeavesPathAlone) {
    std::string path = "/services/2806.10.2.2";
    EXPECT_FALSE(strip_format_suffix(path).has_value());
    EXPECT_EQ(path, "/services/2806.10.2.2");
    std::string plain = "/requests";
    EXPECT_FALSE(strip_format_suffix(plain).has_value());
    EXPECT_EQ(plain, "/requests");
}

TEST(StripFormatSuffix, OnlyTheLastSuffixIsRemoved) {
    std::string path = "/requests/abc.xml.json";
    EXPECT_EQ(strip_format_suffix(path), std::optional<Format>(Format::json));
    EXPECT_EQ(path, "/requests/abc.xml");
}

TEST(StripFormatSuffix, BareSuffixSegmentIsNotAFormat) {
    // "/requests/.json" would otherwise become "/requests/" and list requests.
    std::string path = "/requests/.json";
    EXPECT_FALSE(strip_format_suffix(path).has_value());
    EXPECT_EQ(path, "/requests/.json");
    std::string only = ".xml";
    EXPECT_FALSE(strip_format_suffix(only).has_value());
}

TEST(StripFormatSuffix, SuffixIsCaseSensitiveAndExact) {
    std::string upper = "/services.JSON";
    EXPECT_FALSE(strip_format_suffix(upper).has_value());
    std::string other = "/services.jsonx";
    EXPECT_FALSE(strip_format_suffix(other).has_value());
    EXPECT_EQ(other, "/services.jsonx");
}

TEST(NegotiateAccept, JsonWhenAskedFor) {
    EXPECT_EQ(negotiate_accept("application/json"), Format::json);
    EXPECT_EQ(negotiate_accept("Application/JSON; charset=utf-8"), Format::json);
}

TEST(NegotiateAccept, XmlWhenAskedFor) {
    EXPECT_EQ(negotiate_accept("text/xml"), Format::xml);
    EXPECT_EQ(negotiate_accept("application/xml"), Format::xml);
}

TEST(NegotiateAccept, FallsBackToXml) {
    EXPECT_EQ(negotiate_accept(""), Format::xml);
    EXPECT_EQ(negotiate_accept("*/*"), Format::xml);
    EXPECT_EQ(negotiate_accept("text/html"), Format::xml);
    EXPECT_EQ(negotiate_accept("garbage;;;,,"), Format::xml);
}

TEST(NegotiateAccept, HonoursQValues) {
    EXPECT_EQ(negotiate_accept("application/json;q=0.5, text/xml"), Format::xml);
    EXPECT_EQ(negotiate_accept("text/xml;q=0.4, application/json;q=0.9"), Format::json);
    EXPECT_EQ(negotiate_accept("application/json;q=0"), Format::xml);
}

TEST(NegotiateAccept, JsonAmongOthersWins) {
    EXPECT_EQ(negotiate_accept("text/html, application/json, */*;q=0.8"), Format::json);
}

TEST(NegotiateAccept, TieGoesToXml) {
    EXPECT_EQ(negotiate_accept("application/json, text/xml"), Format::xml);
}

TEST(FormatSuffix, GeoJsonIsJsonWithTheGeoJsonFlag) {
    std::string path = "/requests/abc.geojson";
    bool geojson = false;
    EXPECT_EQ(strip_format_suffix(path, &geojson), Format::json);
    EXPECT_TRUE(geojson);
    EXPECT_EQ(path, "/requests/abc");
    std::string plain = "/requests.json";
    EXPECT_EQ(strip_format_suffix(plain, &geojson), Format::json);
    EXPECT_FALSE(geojson);
}

TEST(NegotiateAccept, GeoJsonPreferredOnlyWhenItLeads) {
    EXPECT_TRUE(prefers_geojson("application/geo+json"));
    EXPECT_TRUE(prefers_geojson("application/geo+json, application/json"));
    EXPECT_FALSE(prefers_geojson("application/json, application/geo+json;q=0.5"));
    EXPECT_FALSE(prefers_geojson("text/xml, application/geo+json;q=0.9"));
    EXPECT_FALSE(prefers_geojson("application/json"));
    EXPECT_FALSE(prefers_geojson("application/geo+json;q=0"));
    // For documents that have no GeoJSON, geo+json is a JSON type.
    EXPECT_EQ(negotiate_accept("application/geo+json"), Format::json);
}

}  // namespace
}  // namespace open311::api
