// GeoReport v2 "GET Service Requests" and "GET Service Request"; CitySDK extensions and locale;
// paging, bbox and sort; moderation visibility in the default (georeport-v2) profile.
#include "store/sqlite/sqlite_store.hpp"
#include "support/server_fixture.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace open311::test {
namespace {

using Ids = std::set<std::string>;

constexpr Timestamp kDay = 86400;
constexpr double kLat = 60.1699;
constexpr double kLong = 24.9384;

/// Formats an instant as YYYY-MM-DDTHH:MM:SSZ, independently of the code under test.
std::string w3c(Timestamp t) {
    std::time_t tt = static_cast<std::time_t>(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

/// A published request stored directly, so that its dates can be chosen.
ServiceRequest published(const std::string& id,
                         Timestamp requested,
                         const std::string& code = "171") {
    ServiceRequest r;
    r.id = id;
    r.service_code = code;
    r.state = ModerationState::published;
    r.status = "open";
    r.description = "Kuoppa " + id;
    r.requested_at = requested;
    r.updated_at = requested;
    r.lat = kLat;
    r.lon = kLong;
    r.can_be_published = true;
    return r;
}

/// The service_request_ids of a JSON list, in order.
std::vector<std::string> json_ids(const Response& r) {
    std::vector<std::string> out;
    auto j = r.json();
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(j.is_array()) << r.body;
    for (const auto& item : j) {
        out.push_back(item.value("service_request_id", ""));
    }
    return out;
}

/// The service_request_ids of an XML list, in order.
std::vector<std::string> xml_ids(const Response& r) {
    std::vector<std::string> out;
    EXPECT_EQ(r.status, 200) << r.body;
    auto doc = r.xml();
    EXPECT_FALSE(doc->child("service_requests").empty()) << r.body;
    for (auto item : doc->child("service_requests").children("request")) {
        out.emplace_back(item.child_value("service_request_id"));
    }
    return out;
}

Ids as_set(const std::vector<std::string>& v) {
    return {v.begin(), v.end()};
}

/// Lists in both formats with the same query and expects the same set of ids from each.
Ids ids_both(TestServer& server, const std::string& query) {
    auto c = server.client();
    auto json = as_set(json_ids(c.get(server.base() + "/requests.json" + query)));
    auto xml = as_set(xml_ids(c.get(server.base() + "/requests.xml" + query)));
    EXPECT_EQ(json, xml) << query;
    return json;
}

/// Expects a 400 in both formats whose description names `field`.
void expect_bad_query(TestServer& server, const std::string& query, const std::string& field) {
    auto c = server.client();
    auto j = c.get(server.base() + "/requests.json" + query);
    EXPECT_EQ(j.status, 400) << query << ": " << j.body;
    auto list = j.json();
    ASSERT_TRUE(list.is_array() && !list.empty()) << j.body;
    EXPECT_EQ(list[0]["code"], 400);
    EXPECT_NE(list[0]["description"].get<std::string>().find(field), std::string::npos) << j.body;
    auto x = c.get(server.base() + "/requests.xml" + query);
    EXPECT_EQ(x.status, 400) << query;
    auto doc = x.xml();
    auto error = doc->child("errors").child("error");
    EXPECT_EQ(error.child("code").text().as_int(), 400) << x.body;
    EXPECT_NE(std::string(error.child_value("description")).find(field), std::string::npos)
        << x.body;
}

const std::regex kDatetime(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d)$)");

}  // namespace

TEST(RequestsGet, OnlyPublishedRequestsAreListed) {
    TestServer server;
    const auto shown = server.submit_published();
    const auto pending = server.submit();
    const auto private_one = server.submit({}, false);
    EXPECT_EQ(ids_both(server, ""), (Ids{shown}));
    EXPECT_EQ(ids_both(server, "?service_request_id=" + pending + "," + private_one), Ids{});
}

TEST(RequestsGet, ServiceRequestIdListOverridesOtherFilters) {
    TestServer server;
    const auto a = server.submit_published();
    const auto b = server.submit_published({{"service_code", "176"}});
    const auto c = server.submit_published();
    EXPECT_EQ(ids_both(server, "?service_request_id=" + a + "," + b), (Ids{a, b}));
    EXPECT_EQ(ids_both(server,
                       "?service_request_id=" + a + "%2C" + b + "&service_code=246&status=closed"),
              (Ids{a, b}));
    EXPECT_EQ(ids_both(server, ""), (Ids{a, b, c}));
}

TEST(RequestsGet, ServiceCodeFilter) {
    TestServer server;
    const auto a = server.submit_published();
    const auto b = server.submit_published({{"service_code", "176"}});
    const auto c = server.submit_published({{"service_code", "2806.10.2.2"}});
    EXPECT_EQ(ids_both(server, "?service_code=176"), (Ids{b}));
    EXPECT_EQ(ids_both(server, "?service_code=171,2806.10.2.2"), (Ids{a, c}));
    EXPECT_EQ(ids_both(server, "?service_code=2806.10.2"), Ids{});
}

TEST(RequestsGet, StatusFilterIsCaseInsensitiveAndValidated) {
    TestServer server;
    const Timestamp t = now() - kDay;
    server.store().insert_request(published("open-one", t));
    auto closed = published("closed-one", t);
    closed.status = "closed";
    closed.detailed_status = "PROCESSED";
    server.store().insert_request(closed);
    EXPECT_EQ(ids_both(server, "?status=open"), (Ids{"open-one"}));
    EXPECT_EQ(ids_both(server, "?status=OPEN"), (Ids{"open-one"}));
    EXPECT_EQ(ids_both(server, "?status=closed"), (Ids{"closed-one"}));
    EXPECT_EQ(ids_both(server, "?status=open,Closed").size(), 2U);
    EXPECT_EQ(ids_both(server, "?status=processed"), (Ids{"closed-one"}));
    expect_bad_query(server, "?status=bogus", "status");
}

TEST(RequestsGet, DateWindowFiltering) {
    TestServer server;
    const Timestamp t = now();
    server.store().insert_request(published("ten-days", t - 10 * kDay));
    server.store().insert_request(published("forty-days", t - 40 * kDay));
    server.store().insert_request(published("hundred-days", t - 100 * kDay));
    // No dates: the last 90 days.
    EXPECT_EQ(ids_both(server, ""), (Ids{"ten-days", "forty-days"}));
    EXPECT_EQ(ids_both(server, "?start_date=" + w3c(t - 20 * kDay) + "&end_date=" + w3c(t)),
              (Ids{"ten-days"}));
    EXPECT_EQ(
        ids_both(server, "?start_date=" + w3c(t - 120 * kDay) + "&end_date=" + w3c(t - 50 * kDay)),
        (Ids{"hundred-days"}));
    // An offset other than Z (percent-encoded as a client would): 45 days ago, written in +03:00.
    auto local = w3c(t - 45 * kDay + 3 * 3600);
    local = local.substr(0, local.size() - 1) + "%2B03:00";
    EXPECT_EQ(ids_both(server, "?start_date=" + local + "&end_date=" + w3c(t)),
              (Ids{"ten-days", "forty-days"}));
    expect_bad_query(
        server, "?start_date=" + w3c(t - 100 * kDay) + "&end_date=" + w3c(t), "end_date");
    expect_bad_query(server, "?start_date=2024-01-01T00:00:00", "start_date");
    expect_bad_query(server, "?end_date=2024-01-01", "end_date");
}

TEST(RequestsGet, ExtensionsAddExtendedAttributes) {
    TestServer server;
    auto r = published("extended", now() - kDay);
    r.title = "Kuoppa";
    r.service_object_id = "12345";
    r.service_object_type = "https://www.hel.fi/palvelukarttaws/rest/v4/unit/";
    r.detailed_status = "IN_PROCESS";
    r.media_urls = {"https://example.org/a.jpg", "https://example.org/b.jpg"};
    server.store().insert_request(r);
    auto c = server.client();

    auto j = c.get(server.base() + "/requests.json?extensions=true").json();
    ASSERT_EQ(j.size(), 1U);
    const auto& ext = j[0]["extended_attributes"];
    EXPECT_EQ(ext["title"], "Kuoppa");
    EXPECT_EQ(ext["service_object_id"], "12345");
    EXPECT_EQ(ext["service_object_type"], r.service_object_type);
    EXPECT_EQ(ext["detailed_status"], "IN_PROCESS");
    EXPECT_EQ(ext["media_urls"], nlohmann::json(r.media_urls));

    auto doc = c.get(server.base() + "/requests.xml?extensions=true").xml();
    auto x = doc->child("service_requests").child("request").child("extended_attributes");
    ASSERT_FALSE(x.empty());
    EXPECT_EQ(std::string(x.child_value("title")), "Kuoppa");
    EXPECT_EQ(std::string(x.child_value("service_object_id")), "12345");
    EXPECT_EQ(std::string(x.child_value("service_object_type")), r.service_object_type);
    EXPECT_EQ(std::string(x.child_value("detailed_status")), "IN_PROCESS");
    std::vector<std::string> urls;
    for (auto u : x.child("media_urls").children("media_url")) {
        urls.emplace_back(u.child_value());
    }
    EXPECT_EQ(urls, r.media_urls);

    for (const std::string query : {"", "?extensions=false"}) {
        auto plain = c.get(server.base() + "/requests.json" + query).json();
        ASSERT_EQ(plain.size(), 1U);
        EXPECT_FALSE(plain[0].contains("extended_attributes")) << query;
        auto xml = c.get(server.base() + "/requests.xml" + query).xml();
        EXPECT_TRUE(
            xml->child("service_requests").child("request").child("extended_attributes").empty())
            << query;
    }
    expect_bad_query(server, "?extensions=maybe", "extensions");
}

TEST(RequestsGet, RadiusIsInMetresInTheDefaultProfile) {
    TestServer server;
    const auto centre = server.submit_published();
    // 300 m north of the centre (one degree of latitude is about 111.2 km).
    const auto north = server.submit_published({{"lat", "60.172598"}});
    const auto far = server.submit_published({{"lat", "60.2500"}, {"long", "25.0500"}});
    const std::string at = "?lat=60.1699&long=24.9384&radius=";
    EXPECT_EQ(ids_both(server, at + "500"), (Ids{centre, north}));
    EXPECT_EQ(ids_both(server, at + "100"), (Ids{centre}));
    EXPECT_EQ(ids_both(server, "").count(far), 1U);
    expect_bad_query(server, "?lat=60.1699&long=24.9384", "radius");
    expect_bad_query(server, "?lat=60.1699&lon=24.9384&radius=100", "long");
    expect_bad_query(server, at + "abc", "radius");
}

TEST(RequestsGet, BoundingBoxFilter) {
    TestServer server;
    const auto centre = server.submit_published();
    const auto far = server.submit_published({{"lat", "60.2500"}, {"long", "25.0500"}});
    EXPECT_EQ(ids_both(server, "?bbox=24.93,60.16,24.95,60.18"), (Ids{centre}));
    EXPECT_EQ(ids_both(server, "?bbox=25.0,60.2,25.1,60.3"), (Ids{far}));
    EXPECT_EQ(ids_both(server, "?bbox=24.0,60.0,26.0,61.0"), (Ids{centre, far}));
    expect_bad_query(server, "?bbox=24.95,60.16,24.93,60.18", "bbox");
    expect_bad_query(server, "?bbox=1,2,3", "bbox");
}

TEST(RequestsGet, UpdatedAfterFilter) {
    TestServer server;
    const Timestamp t = now();
    auto recent = published("updated-recently", t - 60 * kDay);
    recent.updated_at = t - 2 * kDay;
    server.store().insert_request(recent);
    server.store().insert_request(published("updated-long-ago", t - 30 * kDay));
    EXPECT_EQ(ids_both(server, "?updated_after=" + w3c(t - 10 * kDay)), (Ids{"updated-recently"}));
    EXPECT_EQ(ids_both(server, "?updated_before=" + w3c(t - 10 * kDay)), (Ids{"updated-long-ago"}));
    expect_bad_query(server, "?updated_after=yesterday", "updated_after");
}

TEST(RequestsGet, PagingWithTotalCount) {
    TestServer server;
    const Timestamp t = now();
    for (int i = 0; i < 5; ++i) {
        server.store().insert_request(
            published("paged-" + std::to_string(i) + "", t - (i + 1) * 3600));
    }
    auto c = server.client();
    std::vector<std::string> all;
    for (int page = 1; page <= 3; ++page) {
        auto r = c.get(server.base() + "/requests.json?page_size=2&page=" + std::to_string(page));
        EXPECT_EQ(r.header("X-Total-Count"), "5");
        auto ids = json_ids(r);
        EXPECT_EQ(ids.size(), page < 3 ? 2U : 1U);
        all.insert(all.end(), ids.begin(), ids.end());
    }
    EXPECT_EQ(all,
              (std::vector<std::string>{"paged-0", "paged-1", "paged-2", "paged-3", "paged-4"}));
    auto x = c.get(server.base() + "/requests.xml?page_size=2&page=2");
    EXPECT_EQ(x.header("X-Total-Count"), "5");
    EXPECT_EQ(xml_ids(x), (std::vector<std::string>{"paged-2", "paged-3"}));
    expect_bad_query(server, "?page_size=0", "page_size");
    expect_bad_query(server, "?page=x", "page");
}

TEST(RequestsGet, NewestFirstAndSortWhitelist) {
    TestServer server;
    const Timestamp t = now();
    server.store().insert_request(published("middle", t - 2 * kDay));
    server.store().insert_request(published("newest", t - 1 * kDay));
    server.store().insert_request(published("oldest", t - 3 * kDay));
    auto c = server.client();
    const std::vector<std::string> newest_first = {"newest", "middle", "oldest"};
    EXPECT_EQ(json_ids(c.get(server.base() + "/requests.json")), newest_first);
    EXPECT_EQ(xml_ids(c.get(server.base() + "/requests.xml")), newest_first);
    auto oldest_first = newest_first;
    std::reverse(oldest_first.begin(), oldest_first.end());
    EXPECT_EQ(json_ids(c.get(server.base() + "/requests.json?sort=requested_datetime")),
              oldest_first);
    EXPECT_EQ(xml_ids(c.get(server.base() + "/requests.xml?sort=-requested_datetime")),
              newest_first);
    expect_bad_query(server, "?sort=description", "sort");
    expect_bad_query(server, "?sort=requested_at%3B+DROP+TABLE+requests", "sort");
    EXPECT_EQ(json_ids(c.get(server.base() + "/requests.json")).size(), 3U);
}

TEST(RequestsGet, LocaleAppliesToServiceNameInLists) {
    TestServer server;
    server.submit_published();
    auto c = server.client();
    EXPECT_EQ(c.get(server.base() + "/requests.json").json()[0]["service_name"],
              "Street and road damage");
    EXPECT_EQ(c.get(server.base() + "/requests.json?locale=fi_FI").json()[0]["service_name"],
              "Katujen ja teiden vauriot");
    auto doc = c.get(server.base() + "/requests.xml?locale=sv").xml();
    EXPECT_EQ(
        std::string(doc->child("service_requests").child("request").child_value("service_name")),
        "Skador på gator och vägar");
}

TEST(RequestsGet, DatetimesAreW3cWithOffsetAndNoFraction) {
    TestServer server;
    auto r = published("dated", now() - kDay);
    r.expected_at = now() + 7 * kDay;
    server.store().insert_request(r);
    server.submit_published();
    auto c = server.client();
    auto list = c.get(server.base() + "/requests.json").json();
    ASSERT_EQ(list.size(), 2U);
    for (const auto& item : list) {
        for (const char* field : {"requested_datetime", "updated_datetime"}) {
            EXPECT_TRUE(std::regex_match(item[field].get<std::string>(), kDatetime)) << item[field];
        }
    }
    // Newest first: the request stored a day ago comes second.
    ASSERT_EQ(list[1]["service_request_id"], r.id);
    EXPECT_TRUE(std::regex_match(list[1]["expected_datetime"].get<std::string>(), kDatetime));
    EXPECT_EQ(list[1]["requested_datetime"], w3c(r.requested_at));
    EXPECT_EQ(list[1]["expected_datetime"], w3c(*r.expected_at));
    auto doc = c.get(server.base() + "/requests.xml").xml();
    int seen = 0;
    for (auto item : doc->child("service_requests").children("request")) {
        for (const char* field : {"requested_datetime", "updated_datetime"}) {
            ++seen;
            EXPECT_TRUE(std::regex_match(std::string(item.child_value(field)), kDatetime))
                << item.child_value(field);
        }
    }
    EXPECT_EQ(seen, 4);
}

TEST(RequestsGet, ClientNoiseParametersAreIgnored) {
    TestServer server;
    const auto id = server.submit_published();
    EXPECT_EQ(
        ids_both(server, "?jurisdiction_id=whatever.example&api_key=&update_id=5&page_size=50"),
        (Ids{id}));
    auto one = server.client().get(server.base() + "/requests/" + id +
                                   ".json?jurisdiction_id=hel.fi&api_key=");
    EXPECT_EQ(json_ids(one), (std::vector<std::string>{id}));
}

// ---------------------------------------------------------------- requests/{id}

TEST(RequestsGet, ByIdPublishedIsAnArrayOfOne) {
    TestServer server;
    const auto id = server.submit_published({{"address_string", "Mannerheimintie 1"}});
    auto r = server.client().get(server.base() + "/requests/" + id + ".json");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    auto j = r.json();
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 1U);
    EXPECT_EQ(j[0]["service_request_id"], id);
    EXPECT_EQ(j[0]["status"], "open");
    EXPECT_EQ(j[0]["service_code"], "171");
    EXPECT_EQ(j[0]["description"], "Iso kuoppa ajoradalla Mannerheimintiellä");
    EXPECT_EQ(j[0]["address"], "Mannerheimintie 1");
    EXPECT_DOUBLE_EQ(j[0]["lat"].get<double>(), kLat);
    EXPECT_DOUBLE_EQ(j[0]["long"].get<double>(), kLong);

    auto x = server.client().get(server.base() + "/requests/" + id + ".xml");
    ASSERT_EQ(x.status, 200);
    auto doc = x.xml();
    auto item = doc->child("service_requests").child("request");
    EXPECT_EQ(std::string(item.child_value("service_request_id")), id);
    EXPECT_EQ(std::string(item.child_value("service_name")), "Street and road damage");
    EXPECT_DOUBLE_EQ(item.child("long").text().as_double(), kLong);
}

TEST(RequestsGet, ByIdPendingIsPartialInTheDefaultProfile) {
    TestServer server;
    const auto id = server.submit({{"address_string", "Mannerheimintie 1"}, {"title", "Kuoppa"}});
    const Ids partial = {"service_request_id",
                         "status",
                         "service_name",
                         "service_code",
                         "requested_datetime",
                         "updated_datetime"};
    auto j = server.client().get(server.base() + "/requests/" + id + ".json?extensions=true");
    ASSERT_EQ(j.status, 200) << j.body;
    auto list = j.json();
    ASSERT_TRUE(list.is_array());
    ASSERT_EQ(list.size(), 1U);
    Ids keys;
    for (const auto& [key, value] : list[0].items()) {
        keys.insert(key);
    }
    EXPECT_EQ(keys, partial);
    EXPECT_EQ(list[0]["service_request_id"], id);

    auto x = server.client().get(server.base() + "/requests/" + id + ".xml");
    ASSERT_EQ(x.status, 200);
    auto doc = x.xml();
    Ids names;
    for (auto child : doc->child("service_requests").child("request").children()) {
        names.insert(child.name());
    }
    EXPECT_EQ(names, partial);
}

TEST(RequestsGet, ByIdExtensionsTrueAndFalse) {
    TestServer server;
    const auto id = server.submit_published({{"title", "Kuoppa"}});
    auto c = server.client();
    auto with_ext = c.get(server.base() + "/requests/" + id + ".json?extensions=true").json();
    EXPECT_EQ(with_ext[0]["extended_attributes"]["title"], "Kuoppa");
    auto xml_ext = c.get(server.base() + "/requests/" + id + ".xml?extensions=true").xml();
    EXPECT_EQ(std::string(xml_ext->child("service_requests")
                              .child("request")
                              .child("extended_attributes")
                              .child_value("title")),
              "Kuoppa");
    auto without = c.get(server.base() + "/requests/" + id + ".json?extensions=false").json();
    EXPECT_FALSE(without[0].contains("extended_attributes"));
    auto xml_without = c.get(server.base() + "/requests/" + id + ".xml?extensions=false").xml();
    EXPECT_TRUE(xml_without->child("service_requests")
                    .child("request")
                    .child("extended_attributes")
                    .empty());
}

}  // namespace open311::test

namespace open311::test {
namespace {

// Public lists are cached only while nothing is written (api/list_cache.hpp).
TEST(RequestsGetCache, AListAskedAgainAfterAWriteShowsTheWrite) {
    TestServer server;
    const auto first = server.submit_published();
    const auto path = server.base() + "/requests.json?service_code=171";
    // Asked twice: the second answer is kept (a list is cached from its second request).
    EXPECT_EQ(json_ids(server.client().get(path)), (std::vector<std::string>{first}));
    EXPECT_EQ(json_ids(server.client().get(path)), (std::vector<std::string>{first}));
    // Moderation is a write: the next identical list shows the new request at once.
    const auto second = server.submit_published();
    EXPECT_EQ(as_set(json_ids(server.client().get(path))), (Ids{first, second}));
    // So is a status change by staff.
    auto closed = server.client().request(
        "PATCH",
        "/admin/v1/requests/" + first,
        R"({"status": "closed"})",
        {{"Authorization", "Bearer " + server.staff_key}, {"Content-Type", "application/json"}});
    ASSERT_EQ(closed.status, 200) << closed.body;
    EXPECT_EQ(json_ids(server.client().get(path + "&status=closed")),
              (std::vector<std::string>{first}));
    auto j = server.client().get(path).json();
    for (const auto& item : j) {
        if (item["service_request_id"] == first) {
            EXPECT_EQ(item["status"], "closed");
        }
    }
}

TEST(RequestsGetCache, AWriteByAnotherProcessShowsWithinASecond) {
    TestServer server;
    const auto path = server.base() + "/requests.json";
    EXPECT_TRUE(json_ids(server.client().get(path)).empty());
    EXPECT_TRUE(json_ids(server.client().get(path)).empty());  // now kept
    {
        // Another writer on the same database file, as the CLI would be.
        store::SqliteStore other(server.config().db_path, "normal");
        ServiceRequest r;
        r.id = "from-another-process";
        r.service_code = "171";
        r.state = ModerationState::published;
        r.can_be_published = true;
        r.description = "Toisen prosessin kirjoittama";
        r.requested_at = r.updated_at = std::time(nullptr);
        other.insert_request(r);
    }
    EXPECT_TRUE(wait_until(
        [&] {
            return json_ids(server.client().get(path)) ==
                   std::vector<std::string>{"from-another-process"};
        },
        std::chrono::milliseconds(2500)));
}

}  // namespace
}  // namespace open311::test
