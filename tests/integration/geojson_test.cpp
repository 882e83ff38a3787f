// GeoJSON (RFC 7946) answers of GET requests and GET requests/{id}: the same requests and
// properties as the JSON answer, a Point with the longitude first, paging links; GDAL reads it.
#include "support/child_process.hpp"
#include "support/server_fixture.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <string>

namespace open311::test {
namespace {

constexpr const char* kGeoJson = "application/geo+json";

/// A published request stored directly: with a location, or (lat/long absent) an address only.
ServiceRequest stored(const std::string& id, Timestamp at, bool located) {
    ServiceRequest r;
    r.id = id;
    r.service_code = "171";
    r.state = ModerationState::published;
    r.status = "open";
    r.description = "Kuoppa " + id;
    r.address = "Mannerheimintie 1";
    r.requested_at = at;
    r.updated_at = at;
    if (located) {
        r.lat = 60.1699;
        r.lon = 24.9384;
    }
    r.can_be_published = true;
    return r;
}

TEST(GeoJson, ListIsAFeatureCollectionOfTheJsonAnswer) {
    TestServer server;
    server.submit_published({{"email", "maija@example.fi"}, {"first_name", "Maija"}});
    server.submit_published({{"lat", "60.2055"}, {"long", "24.6559"}});

    auto geo = server.client().get(server.base() + "/requests.geojson");
    ASSERT_EQ(geo.status, 200) << geo.body;
    EXPECT_EQ(geo.header("Content-Type"), kGeoJson);
    auto json = server.client().get(server.base() + "/requests.json");
    ASSERT_EQ(json.status, 200);

    auto collection = geo.json();
    auto list = json.json();
    EXPECT_EQ(collection.at("type"), "FeatureCollection");
    ASSERT_EQ(collection.at("features").size(), list.size());
    ASSERT_EQ(list.size(), 2U);
    for (std::size_t i = 0; i < list.size(); ++i) {
        const auto& feature = collection.at("features")[i];
        EXPECT_EQ(feature.at("type"), "Feature");
        EXPECT_EQ(feature.at("id"), list[i].at("service_request_id"));
        // The properties are exactly the JSON answer's object: same names, same privacy.
        EXPECT_EQ(feature.at("properties"), list[i]);
        const auto& geometry = feature.at("geometry");
        EXPECT_EQ(geometry.at("type"), "Point");
        ASSERT_EQ(geometry.at("coordinates").size(), 2U);
        EXPECT_DOUBLE_EQ(geometry.at("coordinates")[0].get<double>(),
                         list[i].at("long").get<double>());
        EXPECT_DOUBLE_EQ(geometry.at("coordinates")[1].get<double>(),
                         list[i].at("lat").get<double>());
    }
    EXPECT_EQ(geo.header("X-Total-Count"), "2");
    std::vector<std::string> keys;
    collect_keys(collection, keys);
    for (const auto& personal : {"email", "first_name", "last_name", "phone", "device_id"}) {
        EXPECT_EQ(std::count(keys.begin(), keys.end(), personal), 0) << personal;
    }
}

TEST(GeoJson, LongitudeComesFirst) {
    TestServer server;
    const auto id = server.submit_published({{"lat", "60.25"}, {"long", "25.01"}});
    auto feature = server.client().get(server.base() + "/requests/" + id + ".geojson").json();
    const auto& coordinates = feature.at("geometry").at("coordinates");
    EXPECT_DOUBLE_EQ(coordinates[0].get<double>(), 25.01);
    EXPECT_DOUBLE_EQ(coordinates[1].get<double>(), 60.25);
}

TEST(GeoJson, OneRequestIsAFeature) {
    TestServer server;
    const auto id = server.submit_published();
    auto r = server.client().get(server.base() + "/requests/" + id + ".geojson");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), kGeoJson);
    auto feature = r.json();
    EXPECT_EQ(feature.at("type"), "Feature");
    EXPECT_EQ(feature.at("id"), id);
    EXPECT_EQ(feature.at("properties").at("service_request_id"), id);

    auto missing = server.client().get(server.base() + "/requests/no-such-id.geojson");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(missing.json().at(0).at("code"), 404);
}

TEST(GeoJson, RequestWithoutLocationHasNullGeometry) {
    TestServer server;
    server.store().insert_request(stored("no-location", now() - 60, false));
    auto feature = server.client().get(server.base() + "/requests/no-location.geojson").json();
    ASSERT_TRUE(feature.contains("geometry"));
    EXPECT_TRUE(feature.at("geometry").is_null());
}

TEST(GeoJson, PagingLinksAndTotal) {
    TestServer server;
    for (int i = 0; i < 5; ++i) {
        server.store().insert_request(stored("r" + std::to_string(i), now() - 60 - i, true));
    }
    auto page2 = server.client().get(server.base() + "/requests.geojson?page_size=2&page=2");
    ASSERT_EQ(page2.status, 200) << page2.body;
    EXPECT_EQ(page2.header("X-Total-Count"), "5");
    auto collection = page2.json();
    EXPECT_EQ(collection.at("features").size(), 2U);
    std::map<std::string, std::string> links;
    for (const auto& link : collection.at("links")) {
        links[link.at("rel")] = link.at("href");
    }
    ASSERT_EQ(links.size(), 2U) << page2.body;
    EXPECT_TRUE(std::regex_search(links["next"], std::regex("[?&]page=3(&|$)"))) << links["next"];
    EXPECT_TRUE(std::regex_search(links["prev"], std::regex("[?&]page=1(&|$)"))) << links["prev"];
    // A link followed gives the next page, as GeoJSON again.
    auto next = server.client().get(links["next"]);
    ASSERT_EQ(next.status, 200) << next.body;
    const auto last = next.json();
    EXPECT_EQ(last.at("features").size(), 1U);
    ASSERT_EQ(last.at("links").size(), 1U) << next.body;  // the last page links back only
    EXPECT_EQ(last.at("links")[0].at("rel"), "prev");
}

TEST(GeoJson, FiltersApplyAsToJson) {
    TestServer server;
    server.submit_published();
    server.submit_published({{"service_code", "246"}});
    auto r = server.client().get(server.base() + "/requests.geojson?service_code=246");
    ASSERT_EQ(r.status, 200);
    auto features = r.json().at("features");
    ASSERT_EQ(features.size(), 1U);
    EXPECT_EQ(features[0].at("properties").at("service_code"), "246");

    auto bad = server.client().get(server.base() + "/requests.geojson?lat=north");
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(bad.json().at(0).at("code"), 400);
}

TEST(GeoJson, AcceptHeaderAsksForIt) {
    TestServer server;
    server.submit_published();
    auto r = server.client().get(server.base() + "/requests", {{"Accept", "application/geo+json"}});
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("Content-Type"), kGeoJson);
    EXPECT_EQ(r.json().at("type"), "FeatureCollection");
    // Where there is no GeoJSON, the same Accept gets plain JSON.
    auto services =
        server.client().get(server.base() + "/services", {{"Accept", "application/geo+json"}});
    ASSERT_EQ(services.status, 200);
    EXPECT_EQ(services.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_TRUE(services.json().is_array());
}

TEST(GeoJson, OtherResourcesHaveNoGeoJsonSuffix) {
    TestServer server;
    auto r = server.client().get(server.base() + "/services.geojson");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(r.json().at(0).at("code"), 404);
}

TEST(GeoJson, CachedListKeepsFormatsApart) {
    TestServer server;
    server.submit_published();
    const auto target = server.base() + "/requests";
    auto json = server.client().get(target, {{"Accept", "application/json"}});
    auto geo = server.client().get(target, {{"Accept", "application/geo+json"}});
    EXPECT_TRUE(json.json().is_array());
    EXPECT_EQ(geo.json().at("type"), "FeatureCollection");
}

TEST(GeoJson, GdalReadsTheAnswer) {
    TestServer server;
    server.submit_published();
    server.submit_published({{"lat", "60.2055"}, {"long", "24.6559"}});
    server.store().insert_request(stored("no-location", now() - 60, false));
    auto r = server.client().get(server.base() + "/requests.geojson");
    ASSERT_EQ(r.status, 200);

    TempDir dir;
    const auto file = dir.path() + "/requests.geojson";
    std::ofstream(file) << r.body;
    ChildProcess ogrinfo(
        {"/usr/bin/ogrinfo", "-ro", "-al", "-so", file}, {}, dir.path(), "ogrinfo");
    ASSERT_EQ(ogrinfo.wait(), 0) << ogrinfo.err();
    std::ifstream out(dir.path() + "/ogrinfo.stdout");
    const std::string text((std::istreambuf_iterator<char>(out)), {});
    std::smatch m;
    ASSERT_TRUE(std::regex_search(text, m, std::regex("Feature Count: (\\d+)"))) << text;
    EXPECT_EQ(m[1], "3");
    EXPECT_TRUE(std::regex_search(text, std::regex("Geometry: Point"))) << text;
}

}  // namespace
}  // namespace open311::test
