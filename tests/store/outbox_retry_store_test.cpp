// OutboxStore::retry_notification contract: only a failed message of the named request goes
// back to pending (due now, attempts kept), with its audit line; anything else changes nothing.
#include "store/store_contract.hpp"

#include "open311/store/outbox_store.hpp"

namespace open311::store_test {
namespace {

template <typename Backend>
class OutboxRetryContract : public StoreContract<Backend> {
protected:
    /// A closed request whose "processed" message has failed for good; returns its seq.
    std::int64_t failed_message(const std::string& id) {
        auto& store = this->store();
        store.insert_request(this->request(id));
        RequestChange c;
        c.request_id = id;
        c.expected_version = 1;
        c.after = *store.find_request(id);
        c.after->status = "closed";
        c.notifications.push_back(this->message(id + "@example.org"));
        EXPECT_EQ(store.commit_request_change(c), ChangeOutcome::applied);
        auto claimed = store.claim_due_notifications(this->kT0, 10, this->kT0 + 60);
        EXPECT_EQ(claimed.size(), 1U);
        EXPECT_TRUE(store.mark_notification_failed(claimed[0].lease, "550 no such user", {}));
        return claimed[0].seq;
    }
};
TYPED_TEST_SUITE(OutboxRetryContract, StoreBackends, BackendNames);

TYPED_TEST(OutboxRetryContract, OnlyAFailedMessageOfThatRequestIsQueuedAgain) {
    auto& store = this->store();
    const auto seq = this->failed_message("r1");
    store.insert_request(this->request("r2"));
    const auto lines = store.search_audit({}).size();

    EXPECT_FALSE(store.retry_notification(seq, "r2", this->kT0 + 5, this->audit("x")));
    EXPECT_FALSE(store.retry_notification(seq + 100, "r1", this->kT0 + 5, this->audit("x")));
    EXPECT_EQ(store.search_audit({}).size(), lines);

    EXPECT_TRUE(store.retry_notification(
        seq, "r1", this->kT0 + 5, this->audit("notification.retry", "r1")));
    auto listed = store.list_request_notifications("r1");
    ASSERT_EQ(listed.size(), 1U);
    EXPECT_EQ(listed[0].state, DeliveryState::pending);
    EXPECT_EQ(listed[0].next_attempt_at, this->kT0 + 5);
    EXPECT_EQ(listed[0].attempts, 1);
    EXPECT_EQ(store.search_audit({}).size(), lines + 1);
    // Pending now: not failed, so a second "send again" changes nothing.
    EXPECT_FALSE(store.retry_notification(seq, "r1", this->kT0 + 6, this->audit("x")));
    // And a sender claims it again.
    auto again = store.claim_due_notifications(this->kT0 + 5, 10, this->kT0 + 65);
    ASSERT_EQ(again.size(), 1U);
    EXPECT_EQ(again[0].seq, seq);
}

}  // namespace
}  // namespace open311::store_test
