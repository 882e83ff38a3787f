// Indexes matched to the public list queries (migrations/0005_performance.sql): each list
// and its count are answered from an index (or the R*Tree), never by scanning the table.
#include "catalogue/catalogue_file.hpp"
#include "store/sqlite/request_query.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/server_fixture.hpp"
#include "util/embedded.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace open311::test {
namespace {

class QueryPlan : public ::testing::Test {
protected:
    QueryPlan() : store_(dir_.path() + "/plan.db", "normal") {}

    static RequestFilter published() {
        RequestFilter f;
        f.states = {ModerationState::published};
        f.limit = 200;
        return f;
    }

    /// Every line of the plan, joined, for the failure message.
    std::string plan(const RequestFilter& f) {
        std::string out;
        for (const auto& line : store_.query_plan(f)) {
            out += line + "\n";
        }
        return out;
    }

    static bool has(const std::string& plan, const std::string& text) {
        return plan.find(text) != std::string::npos;
    }

    TempDir dir_;
    store::SqliteStore store_;
};

TEST_F(QueryPlan, ServiceAndStatusUseTheirIndexForPageAndCount) {
    auto f = published();
    f.service_codes = {"171"};
    f.statuses = {"open"};
    f.requested_from = 1700000000;
    const auto p = plan(f);
    EXPECT_TRUE(has(p, "requests_state_service_status_requested")) << p;
    EXPECT_TRUE(has(p, "COVERING INDEX requests_state_service_status_requested")) << p;
    EXPECT_FALSE(has(p, "SCAN r")) << p;
    EXPECT_FALSE(has(p, "TEMP B-TREE")) << p;  // the page comes in index order
}

TEST_F(QueryPlan, StatusAloneUsesTheStatusIndex) {
    auto f = published();
    f.statuses = {"open"};
    f.requested_from = 1700000000;
    const auto p = plan(f);
    EXPECT_TRUE(has(p, "requests_state_status_requested")) << p;
    EXPECT_FALSE(has(p, "SCAN r")) << p;
}

TEST_F(QueryPlan, DefaultWindowUsesTheRequestedIndex) {
    auto f = published();
    f.requested_from = 1700000000;
    const auto p = plan(f);
    EXPECT_TRUE(has(p, "requests_state_requested")) << p;
    EXPECT_FALSE(has(p, "SCAN r")) << p;
    EXPECT_FALSE(has(p, "TEMP B-TREE")) << p;
}

TEST_F(QueryPlan, ChangesetReadsTheUpdatedRangeNotEveryRequest) {
    auto f = published();
    f.updated_from = 1700000000;  // listed in request-time order, the default
    const auto p = plan(f);
    // The keys pass (seq, requested_at) is answered by the index alone, unsorted; the page's
    // rows are then read by seq.
    EXPECT_TRUE(has(p, "COVERING INDEX requests_state_updated")) << p;
    EXPECT_FALSE(has(p, "requests_state_requested")) << p;
    EXPECT_FALSE(has(p, "SCAN r")) << p;
    EXPECT_FALSE(has(p, "TEMP B-TREE")) << p;
    EXPECT_TRUE(has(p, "SEARCH r USING INTEGER PRIMARY KEY")) << p;
}

TEST_F(QueryPlan, ChangesetInUpdateOrderIsReadInIndexOrder) {
    auto f = published();
    f.updated_from = 1700000000;
    f.order = RequestOrder::updated_desc;
    const auto p = plan(f);
    EXPECT_TRUE(has(p, "requests_state_updated")) << p;
    EXPECT_FALSE(has(p, "TEMP B-TREE")) << p;
}

TEST_F(QueryPlan, RadiusReadsItsGridCellsFromTheIndexAlone) {
    auto f = published();
    f.near = GeoCircle{60.17, 24.94, 500};
    f.requested_from = 1700000000;
    const auto p = plan(f);
    // Each cell is one seek inside the date window, tested on the index entry; only the page's
    // rows are read (by seq), and the page is taken from the keys in memory, not sorted.
    EXPECT_TRUE(has(p,
                    "SEARCH r USING COVERING INDEX requests_state_cell (state=? AND cell=? "
                    "AND requested_at>?)"))
        << p;
    EXPECT_TRUE(has(p, "SEARCH r USING INTEGER PRIMARY KEY")) << p;
    EXPECT_FALSE(has(p, "SCAN r")) << p;
    EXPECT_FALSE(has(p, "TEMP B-TREE")) << p;
}

TEST_F(QueryPlan, AMapFilterWithoutAStateStillReadsTheGrid) {
    auto f = published();
    f.states.clear();  // the staff's "every state"
    f.box = GeoBox{24.93, 60.16, 24.95, 60.18};
    const auto p = plan(f);
    EXPECT_TRUE(has(p, "COVERING INDEX requests_state_cell")) << p;
}

TEST_F(QueryPlan, AMapAreaOfTooManyCellsWalksTheTimeIndexInOrder) {
    auto f = published();
    f.near = GeoCircle{60.17, 24.94, 50000};  // 100 km across: about 130,000 cells
    f.requested_from = 1700000000;
    ASSERT_TRUE(store::list_sql(f).in_index_order);
    const auto p = plan(f);
    EXPECT_TRUE(has(p, "requests_state_requested")) << p;
    EXPECT_FALSE(has(p, "requests_state_cell")) << p;
    EXPECT_FALSE(has(p, "TEMP B-TREE")) << p;
}

/// Map filters find the same requests through the grid and without it, on both sides of the
/// equator and the prime meridian, on cell edges, and with a box or a radius.
TEST_F(QueryPlan, TheGridFindsWhatAnExactTestFinds) {
    store_.upsert_services(
        catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
    const std::vector<std::pair<double, double>> points = {
        {60.17, 24.94},
        {60.1725, 24.945},
        {60.17, 24.9399},
        {-33.8675, 151.2},
        {-33.8700, 151.21},
        {0.0, 0.0},
        {-0.0001, -0.0001},
        {0.0025, 0.005},
        {51.4769, -0.0005},
        {51.4771, 0.0004},
        {-89.999, -179.99},
        {89.999, 179.99},
    };
    std::vector<ServiceRequest> requests;
    for (std::size_t i = 0; i < points.size(); ++i) {
        ServiceRequest r;
        r.id = "p" + std::to_string(i);
        r.service_code = "171";
        r.state = ModerationState::published;
        r.requested_at = r.updated_at = 1700000000 + static_cast<Timestamp>(i);
        r.lat = points[i].first;
        r.lon = points[i].second;
        requests.push_back(r);
    }
    store_.insert_requests(requests);
    auto ids = [this](const RequestFilter& f) {
        std::vector<std::string> out;
        for (const auto& r : store_.search_requests(f).items) {
            out.push_back(r.id);
        }
        return out;
    };
    auto near = [](double lat, double lon, double radius_m) {
        auto f = published();
        f.near = GeoCircle{lat, lon, radius_m};
        return f;
    };
    auto box = [](double min_lon, double min_lat, double max_lon, double max_lat) {
        auto f = published();
        f.box = GeoBox{min_lon, min_lat, max_lon, max_lat};
        return f;
    };
    using Ids = std::vector<std::string>;
    EXPECT_EQ(ids(near(60.17, 24.94, 500)), (Ids{"p2", "p1", "p0"}));
    EXPECT_EQ(ids(near(60.17, 24.94, 50)), (Ids{"p2", "p0"}));
    EXPECT_EQ(ids(near(-33.8680, 151.205, 1000)), (Ids{"p4", "p3"}));
    EXPECT_EQ(ids(near(0.0, 0.0, 100)), (Ids{"p6", "p5"}));
    EXPECT_EQ(ids(near(51.4770, 0.0, 100)), (Ids{"p9", "p8"}));
    EXPECT_EQ(ids(box(-0.001, -0.001, 0.0051, 0.0026)), (Ids{"p7", "p6", "p5"}));
    EXPECT_EQ(ids(box(0.0, 0.0, 0.005, 0.0025)), (Ids{"p7", "p5"}));  // edges belong to the box
    EXPECT_EQ(ids(box(-180.0, -90.0, -179.0, -89.0)), (Ids{"p10"}));
    EXPECT_EQ(ids(box(179.0, 89.0, 180.0, 90.0)), (Ids{"p11"}));
    // The same point stored by insert_request and by the migration's SQL has one cell.
    auto db = store::Database(dir_.path() + "/plan.db", store::Database::Options{"normal", true});
    EXPECT_EQ(db.first("SELECT COUNT(*) FROM requests WHERE cell IS NOT CAST((lat + 90.0) / "
                       "0.0025 AS INTEGER) * 72001 + CAST((long + 180.0) / 0.005 AS INTEGER)",
                       store::read_int64),
              0);
}

/// Lists read keys first (a radius, a changeset in request-time order) page and count exactly
/// as the same list read in index order: same order, ties by seq, same totals, every page.
TEST_F(QueryPlan, KeysFirstPagesMatchTheIndexOrderPages) {
    store_.upsert_services(
        catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
    std::vector<ServiceRequest> requests;
    for (int i = 0; i < 23; ++i) {
        ServiceRequest r;
        r.id = "k" + std::to_string(i);
        r.service_code = "171";
        r.state = ModerationState::published;
        r.requested_at = 1700000000 + (i % 5) * 60;  // ties: five requests a minute
        r.updated_at = 1700100000 + (i % 7);
        r.lat = 60.17 + 0.00001 * i;
        r.lon = 24.94;
        requests.push_back(r);
    }
    store_.insert_requests(requests);
    auto ids = [](const Page<ServiceRequest>& page) {
        std::vector<std::string> out;
        for (const auto& r : page.items) {
            out.push_back(r.id);
        }
        return out;
    };
    for (const auto order : {RequestOrder::requested_desc, RequestOrder::requested_asc}) {
        for (int offset : {0, 5, 20, 25}) {
            auto indexed = published();
            indexed.order = order;
            indexed.limit = 5;
            indexed.offset = offset;
            auto radius = indexed;
            radius.near = GeoCircle{60.17, 24.94, 500};
            auto changeset = indexed;
            changeset.updated_from = 1700000000;
            ASSERT_TRUE(store::list_sql(indexed).in_index_order);
            ASSERT_FALSE(store::list_sql(radius).in_index_order);
            ASSERT_FALSE(store::list_sql(changeset).in_index_order);
            const auto expected = store_.search_requests(indexed);
            EXPECT_EQ(expected.total, 23);
            EXPECT_EQ(expected.items.size(), offset < 20 ? 5U : offset == 20 ? 3U : 0U);
            for (const auto& other : {radius, changeset}) {
                const auto got = store_.search_requests(other);
                EXPECT_EQ(ids(got), ids(expected)) << "offset " << offset;
                EXPECT_EQ(got.total, 23) << "offset " << offset;
            }
        }
    }
    auto none = published();
    none.near = GeoCircle{60.17, 24.94, 500};
    none.limit = 0;
    EXPECT_TRUE(store_.search_requests(none).items.empty());
    EXPECT_EQ(store_.search_requests(none).total, 23);
}

TEST_F(QueryPlan, PublicListsDoNotReadTheSubmitterTable) {
    auto f = published();
    f.statuses = {"open"};
    EXPECT_TRUE(has(plan(f), "SEARCH p ")) << plan(f);  // the staff list joins the submitter
    f.public_only = true;
    EXPECT_FALSE(has(plan(f), "SEARCH p ")) << plan(f);
}

TEST_F(QueryPlan, PublicListsLoadNoPersonalDataOrAnswers) {
    store_.upsert_services(
        catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
    ServiceRequest r;
    r.id = "public-only-1";
    r.service_code = "171";
    r.state = ModerationState::published;
    r.description = "Kuoppa";
    r.requested_at = r.updated_at = 1700000000;
    r.submitter.email = "maija@example.fi";
    r.submitter.phone = "+358401234567";
    r.attributes = {{"DAMAGE", {"1"}}};
    store_.insert_request(r);
    auto f = published();
    auto staff = store_.search_requests(f);
    ASSERT_EQ(staff.items.size(), 1U);
    EXPECT_EQ(staff.items[0].submitter.email, "maija@example.fi");
    EXPECT_EQ(staff.items[0].attributes.size(), 1U);
    f.public_only = true;
    auto page = store_.search_requests(f);
    ASSERT_EQ(page.items.size(), 1U);
    EXPECT_EQ(page.total, 1);
    EXPECT_EQ(page.items[0].id, "public-only-1");
    EXPECT_EQ(page.items[0].description, "Kuoppa");
    EXPECT_TRUE(page.items[0].submitter.email.empty());
    EXPECT_TRUE(page.items[0].submitter.phone.empty());
    EXPECT_TRUE(page.items[0].attributes.empty());
}

TEST_F(QueryPlan, ARadiusInsideADateWindowFindsOnlyThatWindow) {
    store_.upsert_services(
        catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
    auto at = [this](const std::string& id, Timestamp when, double lat) {
        ServiceRequest r;
        r.id = id;
        r.service_code = "171";
        r.state = ModerationState::published;
        r.requested_at = r.updated_at = when;
        r.lat = lat;
        r.lon = 24.94;
        store_.insert_request(r);
    };
    at("old-here", 1600000000, 60.17);
    at("new-here", 1700000000, 60.17);
    at("new-far", 1700000000, 60.25);
    auto f = published();
    f.near = GeoCircle{60.17, 24.94, 500};
    f.requested_from = 1690000000;
    f.requested_to = 1710000000;
    auto page = store_.search_requests(f);
    ASSERT_EQ(page.items.size(), 1U);
    EXPECT_EQ(page.items[0].id, "new-here");
    EXPECT_EQ(page.total, 1);
    f.requested_from = 1500000000;
    EXPECT_EQ(store_.search_requests(f).total, 2);
}

}  // namespace
}  // namespace open311::test
