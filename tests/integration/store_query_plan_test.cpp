// Indexes matched to the public list queries (migrations/0005_performance.sql): each list
// and its count are answered from an index (or the R*Tree), never by scanning the table.
#include "catalogue/catalogue_file.hpp"
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
    f.updated_from = 1700000000;
    const auto p = plan(f);
    EXPECT_TRUE(has(p, "requests_state_updated")) << p;
    EXPECT_FALSE(has(p, "requests_state_requested")) << p;
    EXPECT_FALSE(has(p, "SCAN r")) << p;
}

TEST_F(QueryPlan, RadiusIsDrivenByTheRTree) {
    auto f = published();
    f.near = GeoCircle{60.17, 24.94, 500};
    f.requested_from = 1700000000;
    const auto p = plan(f);
    EXPECT_TRUE(has(p, "SCAN g VIRTUAL TABLE INDEX")) << p;
    EXPECT_FALSE(has(p, "SCAN r")) << p;
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
