// Indexes matched to the public list queries (migrations/0005_performance.sql): each list
// and its count are answered from an index (or the R*Tree), never by scanning the table.
#include "store/sqlite_store.hpp"
#include "support/server_fixture.hpp"

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

}  // namespace
}  // namespace open311::test
