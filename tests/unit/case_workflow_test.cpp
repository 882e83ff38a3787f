// The case rules, called directly: no HTTP, a real SQLite file.
#include "catalogue/catalogue_file.hpp"
#include "support/temp_dir.hpp"
#include "util/embedded.hpp"
#include "workflow/cases.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace open311::workflow {
namespace {

class CaseWorkflowTest : public ::testing::Test {
protected:
    void SetUp() override {
        config_.db_path = dir_.path() + "/test.db";
        config_.media_dir = dir_.path() + "/media";
        config_.db_synchronous = "normal";
        store_ = make_store(config_);
        store_->upsert_services(
            catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
        media_ = media::make_storage(config_);
        cases_ = std::make_unique<CaseWorkflow>(config_, *store_, *media_);
    }

    /// A new pending request, as POST requests stores it.
    std::string insert(bool can_be_published = true, const std::string& email = "") {
        ServiceRequest r;
        r.id = "req" + std::to_string(++count_);
        r.service_code = "171";
        r.detailed_status = "RECEIVED";
        r.description = "Kuoppa";
        r.title = "Kuoppa";
        r.lat = 60.17;
        r.lon = 24.94;
        r.requested_at = now();
        r.updated_at = r.requested_at;
        r.can_be_published = can_be_published;
        r.submitter.email = email;
        store_->insert_request(r);
        return r.id;
    }

    std::vector<std::string> actions(const std::string& id) {
        std::vector<std::string> out;
        for (const auto& a : store_->list_request_audit(id)) {
            out.push_back(a.action + " by " + a.actor);
        }
        return out;
    }

    test::TempDir dir_;
    Config config_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<media::MediaStorage> media_;
    std::unique_ptr<CaseWorkflow> cases_;
    int count_ = 0;
};

TEST_F(CaseWorkflowTest, PublishCommitsTheStateWithItsAuditLine) {
    const auto id = insert();
    auto outcome = cases_->publish(id, "moderator");
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome.value->state, ModerationState::published);
    EXPECT_EQ(outcome.value->version, 2);
    EXPECT_EQ(actions(id), std::vector<std::string>{"request.publish by moderator"});
    auto detail = nlohmann::json::parse(store_->list_request_audit(id).at(0).detail);
    EXPECT_EQ(detail["before"]["state"], "pending");
    EXPECT_EQ(detail["after"]["state"], "published");
}

TEST_F(CaseWorkflowTest, PublishIsRefusedWhenTheSenderDidNotAllowItAndNothingIsWritten) {
    const auto id = insert(false);
    auto outcome = cases_->publish(id, "moderator");
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.errors.at(0).code, ErrorCode::conflict);
    EXPECT_TRUE(actions(id).empty());
    EXPECT_EQ(store_->find_request(id)->state, ModerationState::pending);
}

TEST_F(CaseWorkflowTest, UnknownRequestIsNotFound) {
    auto outcome = cases_->reject("nope", "spam", "moderator");
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.errors.at(0).code, ErrorCode::not_found);
}

TEST_F(CaseWorkflowTest, OnlyAPublishedRequestCanBeUnpublished) {
    const auto id = insert();
    EXPECT_EQ(cases_->unpublish(id, "m").errors.at(0).code, ErrorCode::conflict);
    ASSERT_TRUE(cases_->publish(id, "m").ok());
    auto back = cases_->unpublish(id, "m");
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(back.value->state, ModerationState::pending);
}

TEST_F(CaseWorkflowTest, EditOnAStaleVersionIsRefusedWithTheCurrentVersion) {
    const auto id = insert();
    ASSERT_TRUE(cases_->publish(id, "m").ok());  // version 2
    RequestEdit edit;
    edit.agency_responsible = "Kaupunkiympäristö";
    auto stale = cases_->edit(id, edit, 1, "m");
    ASSERT_FALSE(stale.ok());
    EXPECT_EQ(stale.errors.at(0).code, ErrorCode::conflict);
    EXPECT_EQ(stale.current_version, 2);
    auto fresh = cases_->edit(id, edit, 2, "m");
    ASSERT_TRUE(fresh.ok());
    EXPECT_EQ(fresh.value->agency_responsible, "Kaupunkiympäristö");
    EXPECT_EQ(fresh.value->version, 3);
}

TEST_F(CaseWorkflowTest, ClosingNotifiesTheSubmitterOnceAndPublishesAStaffUpdate) {
    const auto id = insert(true, "asukas@example.org");
    RequestEdit close;
    close.detailed_status = std::vector<std::string>{"PROCESSED"};
    close.status_notes = "Korjattu";
    auto outcome = cases_->edit(id, close, std::nullopt, "handler");
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome.value->status, "closed");
    auto notifications = store_->list_request_notifications(id);
    ASSERT_EQ(notifications.size(), 1U);
    EXPECT_EQ(notifications[0].kind, "request-processed");
    EXPECT_EQ(notifications[0].recipient, "asukas@example.org");
    auto updates = store_->list_request_updates(id);
    ASSERT_EQ(updates.size(), 1U);
    EXPECT_EQ(updates[0].description, "Korjattu");
    EXPECT_EQ(updates[0].source, UpdateSource::staff);
    // Editing a closed request again sends nothing more.
    RequestEdit notes;
    notes.status_notes = "Korjattu uudelleen";
    ASSERT_TRUE(cases_->edit(id, notes, std::nullopt, "handler").ok());
    EXPECT_EQ(store_->list_request_notifications(id).size(), 1U);
}

TEST_F(CaseWorkflowTest, AnEditThatChangesNothingWritesNothing) {
    const auto id = insert();
    RequestEdit same;
    same.status = "open";
    auto outcome = cases_->edit(id, same, std::nullopt, "m");
    ASSERT_TRUE(outcome.ok());
    EXPECT_EQ(outcome.value->version, 1);
    EXPECT_TRUE(actions(id).empty());
}

TEST_F(CaseWorkflowTest, ModeratedClientUpdateWaitsAndMovesTheStatusWhenPublished) {
    const auto id = insert();
    ASSERT_TRUE(cases_->publish(id, "m").ok());
    RequestUpdate update;
    update.request_id = id;
    update.status = "closed";
    update.description = "Tämä on jo korjattu";
    auto held = cases_->add_client_update(update, "app", true);
    ASSERT_TRUE(held.ok());
    EXPECT_EQ(held.value->state, ModerationState::pending);
    EXPECT_EQ(store_->find_request(id)->status, "open");

    auto published = cases_->publish_update(held.value->id, "moderator");
    ASSERT_TRUE(published.ok());
    EXPECT_EQ(published.value->state, ModerationState::published);
    EXPECT_EQ(store_->find_request(id)->status, "closed");
    EXPECT_EQ(actions(id),
              (std::vector<std::string>{"request.publish by m", "update.publish by moderator"}));
    // A decided update cannot be decided again.
    EXPECT_EQ(cases_->reject_update(held.value->id, "moderator").errors.at(0).code,
              ErrorCode::conflict);
}

TEST_F(CaseWorkflowTest, ClientUpdateOfARejectedRequestIsNotFound) {
    const auto id = insert();
    ASSERT_TRUE(cases_->reject(id, "spam", "m").ok());
    RequestUpdate update;
    update.request_id = id;
    auto outcome = cases_->add_client_update(update, "app", false);
    ASSERT_FALSE(outcome.ok());
    EXPECT_EQ(outcome.errors.at(0).code, ErrorCode::not_found);
    EXPECT_TRUE(store_->list_request_updates(id).empty());
}

}  // namespace
}  // namespace open311::workflow
