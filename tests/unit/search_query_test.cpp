#include "validate/search_query.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace open311::validate {
namespace {

constexpr Timestamp kNow = 1717243200;  // 2024-06-01T12:00:00Z
constexpr Timestamp kDay = 24 * 3600;

Profile helsinki_profile() {
    return *profile_by_name("helsinki");
}

struct Result {
    std::vector<ApiError> errors;
    SearchQuery query;
};

Result run(const std::string& query_string, const Profile& profile = Profile{}) {
    Result r;
    r.errors = search_query(form::parse_form(query_string), profile, kNow, r.query);
    return r;
}

bool names_field(const std::vector<ApiError>& errors, const std::string& field) {
    for (const auto& e : errors) {
        if (e.code == ErrorCode::bad_request && e.description.rfind(field, 0) == 0) {
            return true;
        }
    }
    return false;
}

#define EXPECT_OK(result)                \
    EXPECT_TRUE((result).errors.empty()) \
        << ((result).errors.empty() ? std::string() : (result).errors.front().description)

TEST(SearchQuery, NoDatesMeansLast90Days) {
    auto r = run("");
    EXPECT_OK(r);
    ASSERT_TRUE(r.query.filter.requested_from.has_value());
    EXPECT_EQ(*r.query.filter.requested_from, kNow - 90 * kDay);
    EXPECT_FALSE(r.query.filter.requested_to.has_value());
    EXPECT_FALSE(r.query.extensions);
}

TEST(SearchQuery, DatesWithOffsetsAreParsed) {
    auto r = run("start_date=2024-05-01T00%3A00%3A00%2B03%3A00&end_date=2024-05-31T00%3A00%3A00Z");
    EXPECT_OK(r);
    EXPECT_EQ(r.query.filter.requested_from,
              std::optional<Timestamp>(1714510800));  // 2024-04-30T21:00Z
    EXPECT_EQ(r.query.filter.requested_to, std::optional<Timestamp>(1717113600));
}

TEST(SearchQuery, BadDatesNameTheParameter) {
    EXPECT_TRUE(names_field(run("start_date=2024-05-01").errors, "start_date"));
    EXPECT_TRUE(
        names_field(run("end_date=2024-05-01T00%3A00%3A00").errors, "end_date"));  // no offset
    EXPECT_TRUE(names_field(run("start_date=2024-02-30T00%3A00%3A00Z").errors, "start_date"));
    EXPECT_TRUE(names_field(run("updated_after=yesterday").errors, "updated_after"));
    EXPECT_TRUE(
        names_field(run("updated_before=2024-05-01+10%3A00%3A00Z").errors, "updated_before"));
}

TEST(SearchQuery, SpanOver90DaysIsRefused) {
    auto r =
        run("start_date=2024-01-01T00%3A00%3A00Z&end_date=2024-04-01T00%3A00%3A01Z");  // 91 days
    EXPECT_TRUE(names_field(r.errors, "end_date"));
    auto exactly =
        run("start_date=2024-01-01T00%3A00%3A00Z&end_date=2024-03-31T00%3A00%3A00Z");  // 90 days
    EXPECT_OK(exactly);
}

TEST(SearchQuery, EndBeforeStartIsRefused) {
    EXPECT_TRUE(names_field(
        run("start_date=2024-05-02T00%3A00%3A00Z&end_date=2024-05-01T00%3A00%3A00Z").errors,
        "end_date"));
}

TEST(SearchQuery, OnlyUpdatedAfterHasNoRequestedWindow) {
    auto r = run("updated_after=2020-01-01T00%3A00%3A00Z");
    EXPECT_OK(r);
    EXPECT_FALSE(r.query.filter.requested_from.has_value());
    EXPECT_FALSE(r.query.filter.requested_to.has_value());
    EXPECT_EQ(r.query.filter.updated_from, std::optional<Timestamp>(1577836800));
}

TEST(SearchQuery, StatusOpenAndClosedAnyCase) {
    auto r = run("status=open,CLOSED");
    EXPECT_OK(r);
    EXPECT_EQ(r.query.filter.statuses, (std::vector<std::string>{"open", "closed"}));
    EXPECT_TRUE(r.query.filter.detailed_statuses.empty());
}

TEST(SearchQuery, DetailedStatusValues) {
    auto r = run("status=in_process,Received");
    EXPECT_OK(r);
    EXPECT_EQ(r.query.filter.detailed_statuses,
              (std::vector<std::string>{"IN_PROCESS", "RECEIVED"}));
    EXPECT_TRUE(r.query.filter.statuses.empty());
}

TEST(SearchQuery, UnknownStatusNamesStatus) {
    auto r = run("status=open,pending");
    EXPECT_TRUE(names_field(r.errors, "status"));
    EXPECT_NE(r.errors.front().description.find("pending"), std::string::npos);
}

TEST(SearchQuery, LatLongRadiusInMetres) {
    auto r = run("lat=60.17&long=24.94&radius=500");
    EXPECT_OK(r);
    ASSERT_TRUE(r.query.filter.near.has_value());
    EXPECT_DOUBLE_EQ(r.query.filter.near->lat, 60.17);
    EXPECT_DOUBLE_EQ(r.query.filter.near->lon, 24.94);
    EXPECT_DOUBLE_EQ(r.query.filter.near->radius_m, 500.0);
}

TEST(SearchQuery, HelsinkiRadiusIsKilometres) {
    auto r = run("lat=60.17&long=24.94&radius=0.5", helsinki_profile());
    EXPECT_OK(r);
    ASSERT_TRUE(r.query.filter.near.has_value());
    EXPECT_DOUBLE_EQ(r.query.filter.near->radius_m, 500.0);
}

TEST(SearchQuery, LatLongRadiusAllOrNone) {
    EXPECT_TRUE(names_field(run("lat=60.17&long=24.94").errors, "radius"));
    auto only_radius = run("radius=100");
    EXPECT_TRUE(names_field(only_radius.errors, "lat"));
    EXPECT_TRUE(names_field(only_radius.errors, "long"));
    EXPECT_FALSE(run("lat=60.17&long=24.94").query.filter.near.has_value());
}

TEST(SearchQuery, BadCoordinatesNameTheParameter) {
    EXPECT_TRUE(names_field(run("lat=91&long=24.94&radius=5").errors, "lat"));
    EXPECT_TRUE(names_field(run("lat=60&long=24%2C94&radius=5").errors, "long"));
    EXPECT_TRUE(names_field(run("lat=60&long=24&radius=-1").errors, "radius"));
    EXPECT_TRUE(names_field(run("lat=60&long=24&radius=101", helsinki_profile()).errors,
                            "radius"));  // 101 km
}

TEST(SearchQuery, LonAliasIsRefused) {
    auto r = run("lat=60&lon=24&radius=5");
    EXPECT_TRUE(names_field(r.errors, "lon"));
}

TEST(SearchQuery, BboxIsParsed) {
    auto r = run("bbox=24.9,60.1,25.0,60.2");
    EXPECT_OK(r);
    ASSERT_TRUE(r.query.filter.box.has_value());
    EXPECT_DOUBLE_EQ(r.query.filter.box->min_lon, 24.9);
    EXPECT_DOUBLE_EQ(r.query.filter.box->min_lat, 60.1);
    EXPECT_DOUBLE_EQ(r.query.filter.box->max_lon, 25.0);
    EXPECT_DOUBLE_EQ(r.query.filter.box->max_lat, 60.2);
}

TEST(SearchQuery, BadBboxIsRefused) {
    for (const char* bad : {"24.9,60.1,25.0",
                            "a,b,c,d",
                            "25.0,60.1,24.9,60.2",
                            "24.9,60.1,25.0,91",
                            "24.9,60.1,25.0,60.2,1"}) {
        EXPECT_TRUE(names_field(run(std::string("bbox=") + bad).errors, "bbox")) << bad;
    }
}

TEST(SearchQuery, PageSizeIsBoundedByProfileMaximum) {
    EXPECT_EQ(run("").query.filter.limit, 1000);
    EXPECT_EQ(run("", helsinki_profile()).query.filter.limit, 200);
    EXPECT_EQ(run("page_size=5000").query.filter.limit, 1000);
    EXPECT_EQ(run("page_size=500", helsinki_profile()).query.filter.limit, 200);
    EXPECT_EQ(run("page_size=25").query.filter.limit, 25);
}

TEST(SearchQuery, PageGivesOffset) {
    auto r = run("page=3&page_size=10");
    EXPECT_OK(r);
    EXPECT_EQ(r.query.page, 3);
    EXPECT_EQ(r.query.filter.offset, 20);
    EXPECT_EQ(run("").query.filter.offset, 0);
}

TEST(SearchQuery, BadPageOrPageSizeNamesIt) {
    EXPECT_TRUE(names_field(run("page=0").errors, "page"));
    EXPECT_TRUE(names_field(run("page=two").errors, "page"));
    EXPECT_TRUE(names_field(run("page_size=0").errors, "page_size"));
    EXPECT_TRUE(names_field(run("page_size=-5").errors, "page_size"));
}

TEST(SearchQuery, SortWhitelist) {
    EXPECT_EQ(run("").query.filter.order, RequestOrder::requested_desc);
    EXPECT_EQ(run("sort=requested_datetime").query.filter.order, RequestOrder::requested_asc);
    EXPECT_EQ(run("sort=-updated_datetime").query.filter.order, RequestOrder::updated_desc);
    EXPECT_EQ(run("sort=updated_datetime").query.filter.order, RequestOrder::updated_asc);
    EXPECT_TRUE(names_field(run("sort=description").errors, "sort"));
    EXPECT_TRUE(names_field(run("sort=requested_datetime%3B+DROP+TABLE+requests").errors, "sort"));
}

TEST(SearchQuery, ServiceRequestIdOverridesEverythingElse) {
    auto r = run("service_request_id=a1,b2&status=nonsense&start_date=bad&service_code=171&lat=60");
    EXPECT_OK(r);
    EXPECT_EQ(r.query.filter.ids, (std::vector<std::string>{"a1", "b2"}));
    EXPECT_TRUE(r.query.filter.service_codes.empty());
    EXPECT_TRUE(r.query.filter.statuses.empty());
    EXPECT_FALSE(r.query.filter.requested_from.has_value());
    EXPECT_FALSE(r.query.filter.near.has_value());
}

TEST(SearchQuery, ServiceCodeCommaListAndRepeats) {
    auto r = run("service_code=171,+2806.10.2.2&service_code=171&service_code=246");
    EXPECT_OK(r);
    EXPECT_EQ(r.query.filter.service_codes,
              (std::vector<std::string>{"171", "2806.10.2.2", "246"}));
}

TEST(SearchQuery, ExtensionsFlag) {
    EXPECT_TRUE(run("extensions=true").query.extensions);
    EXPECT_TRUE(run("extensions=TRUE").query.extensions);
    EXPECT_FALSE(run("extensions=false").query.extensions);
    EXPECT_TRUE(names_field(run("extensions=1").errors, "extensions"));
}

TEST(SearchQuery, ServiceObjectFilters) {
    auto r = run("service_object_type=stop&service_object_id=+H1234+");
    EXPECT_OK(r);
    EXPECT_EQ(r.query.filter.service_object_type, "stop");
    EXPECT_EQ(r.query.filter.service_object_id, "H1234");
}

TEST(SearchQuery, ClientNoiseIsIgnored) {
    EXPECT_OK(run("jurisdiction_id=hel.fi&api_key=&api_key=abc&locale=fi_FI"));
}

}  // namespace
}  // namespace open311::validate
