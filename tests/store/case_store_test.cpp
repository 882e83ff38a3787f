// CaseStore and MediaStore contract: a change commits whole or not at all, with its updates,
// audit lines and messages; updates are found and listed; media rows are removed with a line.
#include "open311/store/case_store.hpp"

#include "store/store_contract.hpp"

namespace open311::store_test {
namespace {

template <typename Backend>
class CaseContract : public StoreContract<Backend> {
protected:
    static RequestUpdate update(const std::string& id,
                                const std::string& request_id,
                                Timestamp at,
                                ModerationState state = ModerationState::published) {
        RequestUpdate u;
        u.id = id;
        u.request_id = request_id;
        u.state = state;
        u.description = "note " + id;
        u.at = at;
        u.source = UpdateSource::client;
        u.submitter.email = id + "@example.org";
        return u;
    }
};
TYPED_TEST_SUITE(CaseContract, StoreBackends, BackendNames);

TYPED_TEST(CaseContract, AppliedChangeBumpsTheVersionAndWritesEverythingWithIt) {
    auto& store = this->store();
    store.insert_request(this->request("c1"));
    auto pending = this->update("u1", "c1", this->kT0 + 5, ModerationState::pending);
    pending.token = "utok";
    RequestChange c;
    c.request_id = "c1";
    c.expected_version = 1;
    c.after = *store.find_request("c1");
    c.after->state = ModerationState::published;
    c.after->status_notes = "On it";
    c.new_updates = {this->update("u0", "c1", this->kT0 + 1), pending};
    c.audit = {this->audit("request.publish", "c1")};
    c.notifications = {this->message("ann@example.org")};
    EXPECT_EQ(store.commit_request_change(c), ChangeOutcome::applied);

    auto after = store.find_request("c1");
    EXPECT_EQ(after->version, 2);
    EXPECT_EQ(after->state, ModerationState::published);
    EXPECT_EQ(after->status_notes, "On it");
    EXPECT_EQ(after->submitter.email, "c1@example.org");  // not part of the change
    EXPECT_EQ(store.list_request_updates("c1").size(), 2U);
    EXPECT_EQ(store.find_update_id_by_token("utok"), "u1");
    ASSERT_EQ(store.list_request_audit("c1").size(), 1U);
    EXPECT_EQ(store.list_request_audit("c1")[0].action, "request.publish");
    ASSERT_EQ(store.list_request_notifications("c1").size(), 1U);
    EXPECT_EQ(store.list_request_notifications("c1")[0].state, DeliveryState::pending);

    // Moderating the pending update: applied once, stale the second time.
    RequestChange moderate;
    moderate.request_id = "c1";
    moderate.update_states = {{"u1", ModerationState::published}};
    EXPECT_EQ(store.commit_request_change(moderate), ChangeOutcome::applied);
    EXPECT_EQ(store.find_update("u1")->state, ModerationState::published);
    EXPECT_EQ(store.find_request("c1")->version, 2);  // no `after`: the request is untouched
    EXPECT_EQ(store.commit_request_change(moderate), ChangeOutcome::stale);
}

TYPED_TEST(CaseContract, StaleAndUnknownChangesWriteNothing) {
    auto& store = this->store();
    store.insert_request(this->request("c2"));
    EXPECT_EQ(this->change("c2", [](ServiceRequest& r) { r.status = "closed"; }),
              ChangeOutcome::applied);
    RequestChange stale;
    stale.request_id = "c2";
    stale.expected_version = 1;  // it is 2 now
    stale.after = *store.find_request("c2");
    stale.after->status = "open";
    stale.new_updates = {this->update("u9", "c2", this->kT0)};
    stale.audit = {this->audit("request.edit", "c2")};
    stale.notifications = {this->message("x@example.org")};
    EXPECT_EQ(store.commit_request_change(stale), ChangeOutcome::stale);
    EXPECT_EQ(store.find_request("c2")->status, "closed");
    EXPECT_EQ(store.find_request("c2")->version, 2);
    EXPECT_FALSE(store.find_update("u9"));
    EXPECT_EQ(store.list_request_audit("c2").size(), 1U);  // the applied change's line only
    EXPECT_TRUE(store.list_request_notifications("c2").empty());

    RequestChange unknown = stale;
    unknown.request_id = "nope";
    EXPECT_EQ(store.commit_request_change(unknown), ChangeOutcome::not_found);
    EXPECT_FALSE(store.find_update("u9"));

    RequestChange unknown_update;
    unknown_update.request_id = "c2";
    unknown_update.update_states = {{"nope", ModerationState::published}};
    unknown_update.audit = {this->audit("update.publish", "c2")};
    EXPECT_EQ(store.commit_request_change(unknown_update), ChangeOutcome::stale);
    EXPECT_EQ(store.list_request_audit("c2").size(), 1U);
}

TYPED_TEST(CaseContract, UpdatesAreFoundListedAndSearched) {
    auto& store = this->store();
    store.insert_request(this->request("c3"));
    auto published = this->request("c4", 1);
    published.state = ModerationState::published;
    store.insert_request(published);
    RequestChange c;
    c.request_id = "c3";
    c.new_updates = {this->update("a", "c3", this->kT0 + 20),
                     this->update("b", "c3", this->kT0 + 10, ModerationState::pending)};
    ASSERT_EQ(store.commit_request_change(c), ChangeOutcome::applied);
    c.request_id = "c4";
    c.new_updates = {this->update("c", "c4", this->kT0 + 30)};
    ASSERT_EQ(store.commit_request_change(c), ChangeOutcome::applied);

    auto found = store.find_update("a");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->request_id, "c3");
    EXPECT_EQ(found->source, UpdateSource::client);
    EXPECT_EQ(found->submitter.email, "a@example.org");
    EXPECT_FALSE(store.find_update("zz"));

    auto ids = [](const std::vector<RequestUpdate>& updates) {
        std::vector<std::string> out;
        for (const auto& u : updates) {
            out.push_back(u.id);
        }
        return out;
    };
    EXPECT_EQ(ids(store.list_request_updates("c3")), (std::vector<std::string>{"b", "a"}));
    UpdateFilter f;
    EXPECT_EQ(ids(store.search_updates(f)), (std::vector<std::string>{"b", "a", "c"}));
    f.states = {ModerationState::published};
    EXPECT_EQ(ids(store.search_updates(f)), (std::vector<std::string>{"a", "c"}));
    f.request_states = {ModerationState::published};
    EXPECT_EQ(ids(store.search_updates(f)), (std::vector<std::string>{"c"}));
    f = {};
    f.from = this->kT0 + 10;
    f.to = this->kT0 + 20;
    EXPECT_EQ(ids(store.search_updates(f)), (std::vector<std::string>{"b", "a"}));
    f = {};
    f.limit = 1;
    EXPECT_EQ(ids(store.search_updates(f)), (std::vector<std::string>{"b"}));
}

TYPED_TEST(CaseContract, MediaIsFoundAndDeletedWithItsAuditLine) {
    auto& store = this->store();
    auto r = this->request("m1");
    r.media = {MediaFile{"p.jpg", "image/jpeg", 10}, MediaFile{"q.png", "image/png", 20}};
    store.insert_request(r);
    auto entry = store.find_media("q.png");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->request_id, "m1");
    EXPECT_EQ(entry->file.size, 20);
    EXPECT_EQ(entry->state, ModerationState::pending);
    EXPECT_FALSE(store.find_media("nope.jpg"));

    EXPECT_TRUE(store.delete_media(
        "m1", "p.jpg", this->audit("request.media.delete", "m1", "p.jpg", this->kT0 + 50)));
    EXPECT_FALSE(store.find_media("p.jpg"));
    auto after = store.find_request("m1");
    ASSERT_EQ(after->media.size(), 1U);
    EXPECT_EQ(after->updated_at, this->kT0 + 50);
    EXPECT_EQ(after->version, 2);
    EXPECT_EQ(store.list_request_audit("m1").size(), 1U);

    EXPECT_FALSE(store.delete_media("m1", "p.jpg", this->audit("request.media.delete", "m1")));
    EXPECT_FALSE(store.delete_media("other", "q.png", this->audit("request.media.delete")));
    EXPECT_EQ(store.list_request_audit("m1").size(), 1U);
    EXPECT_TRUE(store.find_media("q.png"));
}

}  // namespace
}  // namespace open311::store_test
