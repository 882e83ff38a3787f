// The status table of docs/case-handling.md: FMS extended states, Helsinki detailed statuses
// and open/closed.
#include "open311/domain/status_map.hpp"

#include <gtest/gtest.h>

namespace open311 {
namespace {

TEST(StatusMap, EveryExtendedStateMapsToOpenOrClosedAndAMainDetailedValue) {
    struct Row {
        const char* state;
        const char* status;
        const char* detailed;
    };
    const Row table[] = {
        {"open", "open", "RECEIVED"},
        {"investigating", "open", "IN_PROCESS"},
        {"in_progress", "open", "IN_PROCESS"},
        {"action_scheduled", "open", "IN_PROCESS"},
        {"fixed", "closed", "PROCESSED"},
        {"closed", "closed", "PROCESSED"},
        {"no_further_action", "closed", "PROCESSED"},
        {"internal_referral", "closed", "PROCESSED"},
        {"not_councils_responsibility", "closed", "REJECTED"},
        {"duplicate", "closed", "REJECTED"},
    };
    ASSERT_EQ(external_statuses().size(), std::size(table));
    for (const auto& row : table) {
        const auto* s = find_external_status(row.state);
        ASSERT_NE(s, nullptr) << row.state;
        EXPECT_STREQ(s->status, row.status) << row.state;
        EXPECT_STREQ(s->detailed, row.detailed) << row.state;
        EXPECT_TRUE(is_main_detailed_status(s->detailed));
        EXPECT_STREQ(status_implied_by(s->detailed), row.status) << row.state;
    }
}

TEST(StatusMap, ExtendedStatesAreFoundWhateverTheirCaseOrSeparator) {
    EXPECT_NE(find_external_status("IN_PROGRESS"), nullptr);
    EXPECT_NE(find_external_status("In progress"), nullptr);
    EXPECT_NE(find_external_status("not councils responsibility"), nullptr);
    EXPECT_NE(find_external_status("OPEN"), nullptr);
    EXPECT_EQ(find_external_status("finished"), nullptr);
    EXPECT_EQ(find_external_status(""), nullptr);
}

TEST(StatusMap, MainValuesDecideTheStatusPublicWorksValuesDoNot) {
    for (const char* v : {"RECEIVED", "IN_PROCESS"}) {
        EXPECT_STREQ(status_implied_by(v), "open");
    }
    for (const char* v : {"PROCESSED", "ARCHIVED", "REJECTED"}) {
        EXPECT_STREQ(status_implied_by(v), "closed");
    }
    EXPECT_FALSE(is_main_detailed_status("PUBLIC_WORKS_NEW"));
    EXPECT_FALSE(is_main_detailed_status("PUBLIC_WORKS_COMPLETED"));
}

TEST(StatusMap, AligningReplacesOnlyAContradictingMainValue) {
    EXPECT_EQ(align_detailed_status("RECEIVED", "closed"), "PROCESSED");
    EXPECT_EQ(align_detailed_status("IN_PROCESS,PUBLIC_WORKS_NEW", "closed"),
              "PROCESSED,PUBLIC_WORKS_NEW");
    EXPECT_EQ(align_detailed_status("PROCESSED", "open"), "IN_PROCESS");
    EXPECT_EQ(align_detailed_status("IN_PROCESS", "open"), "IN_PROCESS");
    EXPECT_EQ(align_detailed_status("", "closed"), "PROCESSED");
    EXPECT_EQ(align_detailed_status("PUBLIC_WORKS_NEW", "open"), "IN_PROCESS,PUBLIC_WORKS_NEW");
}

TEST(StatusMap, TheFeedStateFollowsTheDetailedStatus) {
    EXPECT_EQ(external_status_for("open", "RECEIVED"), "open");
    EXPECT_EQ(external_status_for("open", "IN_PROCESS"), "in_progress");
    EXPECT_EQ(external_status_for("open", "IN_PROCESS,PUBLIC_WORKS_COMPLETED_SCHEDULED_LATER"),
              "action_scheduled");
    EXPECT_EQ(external_status_for("closed", "PROCESSED"), "fixed");
    EXPECT_EQ(external_status_for("closed", "ARCHIVED"), "closed");
    EXPECT_EQ(external_status_for("closed", "REJECTED"), "not_councils_responsibility");
    EXPECT_EQ(external_status_for("closed", "PROCESSED,PUBLIC_WORKS_COMPLETED_REQUIRES_NO_ACTION"),
              "no_further_action");
}

TEST(StatusMap, DetailedListsSplitAndJoin) {
    EXPECT_EQ(split_detailed_status("IN_PROCESS,PUBLIC_WORKS_NEW"),
              (std::vector<std::string>{"IN_PROCESS", "PUBLIC_WORKS_NEW"}));
    EXPECT_TRUE(split_detailed_status("").empty());
    EXPECT_EQ(join_detailed_status({"PROCESSED", "PUBLIC_WORKS_COMPLETED"}),
              "PROCESSED,PUBLIC_WORKS_COMPLETED");
}

}  // namespace
}  // namespace open311
