// AuditStore and OutboxStore contract: filters, newest first, opaque-cursor paging; claims
// lease messages to one sender, and only the claim that holds a lease records its outcome.
#include "store/store_contract.hpp"

#include "open311/store/audit_store.hpp"
#include "open311/store/outbox_store.hpp"

namespace open311::store_test {
namespace {

template <typename Backend>
class AuditOutboxContract : public StoreContract<Backend> {
protected:
    /// A request "o1" with `n` due messages, committed with it.
    void queue_messages(int n) {
        this->store().insert_request(this->request("o1"));
        RequestChange c;
        c.request_id = "o1";
        for (int i = 0; i < n; ++i) {
            c.notifications.push_back(
                this->message("to" + std::to_string(i) + "@example.org", this->kT0 + i));
        }
        ASSERT_EQ(this->store().commit_request_change(c), ChangeOutcome::applied);
    }
};
TYPED_TEST_SUITE(AuditOutboxContract, StoreBackends, BackendNames);

std::vector<std::string> subjects(const std::vector<AuditEntry>& lines) {
    std::vector<std::string> out;
    for (const auto& a : lines) {
        out.push_back(a.subject);
    }
    return out;
}

TYPED_TEST(AuditOutboxContract, SearchFiltersNewestFirst) {
    auto& store = this->store();
    store.append_audit(this->audit("service.create", "", "s0", this->kT0));
    store.append_audit(this->audit("request.publish", "r1", "s1", this->kT0 + 10));
    store.append_audit(this->audit("request.reject", "r2", "s2", this->kT0 + 20));
    AuditEntry other = this->audit("key.create", "", "s3", this->kT0 + 30);
    other.actor = "someone";
    store.append_audit(other);

    using Subjects = std::vector<std::string>;
    EXPECT_EQ(subjects(store.search_audit({})), (Subjects{"s3", "s2", "s1", "s0"}));
    AuditFilter f;
    f.request_id = "r1";
    EXPECT_EQ(subjects(store.search_audit(f)), (Subjects{"s1"}));
    f = {};
    f.action = "request.";
    EXPECT_EQ(subjects(store.search_audit(f)), (Subjects{"s2", "s1"}));
    f.action = "request";  // a prefix needs its final dot
    EXPECT_TRUE(store.search_audit(f).empty());
    f = {};
    f.actor = "someone";
    EXPECT_EQ(subjects(store.search_audit(f)), (Subjects{"s3"}));
    f = {};
    f.since = this->kT0 + 20;
    EXPECT_EQ(subjects(store.search_audit(f)), (Subjects{"s3", "s2"}));
    EXPECT_EQ(subjects(store.list_request_audit("r2")), (Subjects{"s2"}));
    auto line = store.list_request_audit("r1").at(0);
    EXPECT_EQ(line.detail, R"({"k":1})");
    EXPECT_EQ(line.at, this->kT0 + 10);
}

TYPED_TEST(AuditOutboxContract, CursorPagesAreStableWhileTheTrailGrows) {
    auto& store = this->store();
    for (int i = 0; i < 5; ++i) {
        store.append_audit(this->audit("service.update", "", "s" + std::to_string(i)));
    }
    AuditFilter f;
    f.limit = 2;
    auto page = store.search_audit(f);
    EXPECT_EQ(subjects(page), (std::vector<std::string>{"s4", "s3"}));
    store.append_audit(this->audit("service.update", "", "new"));  // at the head: no shift
    f.before = store.audit_cursor(page.back());
    page = store.search_audit(f);
    EXPECT_EQ(subjects(page), (std::vector<std::string>{"s2", "s1"}));
    f.before = store.audit_cursor(page.back());
    page = store.search_audit(f);
    EXPECT_EQ(subjects(page), (std::vector<std::string>{"s0"}));

    f.before = "not a cursor";
    try {
        store.search_audit(f);
        FAIL() << "a made-up cursor was accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::invalid_token);
    }
}

TYPED_TEST(AuditOutboxContract, ClaimsLeaseDueMessagesToOneSender) {
    this->queue_messages(3);
    auto& store = this->store();
    const Timestamp now = this->kT0 + 1;  // the third is not due yet
    auto first = store.claim_due_notifications(now, 10, now + 60);
    ASSERT_EQ(first.size(), 2U);
    EXPECT_EQ(first[0].recipient, "to0@example.org");
    EXPECT_EQ(first[0].attempts, 1);
    EXPECT_EQ(first[0].request_id, "o1");
    EXPECT_FALSE(first[0].lease.empty());
    EXPECT_NE(first[0].lease, first[1].lease);
    // Leased: another sender gets nothing until the lease ends.
    EXPECT_TRUE(store.claim_due_notifications(now, 10, now + 60).empty());
    EXPECT_EQ(store.claim_due_notifications(now + 60, 1, now + 120).size(), 1U);
}

TYPED_TEST(AuditOutboxContract, OutcomesNeedTheLease) {
    this->queue_messages(2);
    auto& store = this->store();
    const Timestamp now = this->kT0 + 5;
    auto claimed = store.claim_due_notifications(now, 10, now + 60);
    ASSERT_EQ(claimed.size(), 2U);

    EXPECT_TRUE(store.mark_notification_sent(claimed[0].lease, now + 1));
    EXPECT_FALSE(store.mark_notification_sent(claimed[0].lease, now + 2));  // recorded already

    EXPECT_TRUE(store.mark_notification_failed(claimed[1].lease, "451 later", now + 30));
    EXPECT_FALSE(store.mark_notification_failed(claimed[1].lease, "again", std::nullopt));
    EXPECT_TRUE(store.claim_due_notifications(now + 29, 10, now + 90).empty());
    auto retry = store.claim_due_notifications(now + 30, 10, now + 90);
    ASSERT_EQ(retry.size(), 1U);
    EXPECT_EQ(retry[0].attempts, 2);
    EXPECT_EQ(retry[0].last_error, "451 later");

    // The lease runs out and a second sender claims the message: the first one's outcome is
    // refused, the second one's recorded.
    auto taken = store.claim_due_notifications(now + 90, 10, now + 150);
    ASSERT_EQ(taken.size(), 1U);
    EXPECT_FALSE(store.mark_notification_sent(retry[0].lease, now + 91));
    EXPECT_TRUE(store.mark_notification_failed(taken[0].lease, "550 no such user", std::nullopt));

    auto all = store.list_request_notifications("o1");
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[0].state, DeliveryState::sent);
    EXPECT_EQ(all[0].sent_at, now + 1);
    EXPECT_EQ(all[1].state, DeliveryState::failed);
    EXPECT_EQ(all[1].last_error, "550 no such user");
    EXPECT_EQ(all[1].attempts, 3);
    EXPECT_TRUE(store.claim_due_notifications(now + 1000, 10, now + 2000).empty());

    try {
        store.mark_notification_sent("made-up", now);
        FAIL() << "a made-up lease was accepted";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::invalid_token);
    }
}

}  // namespace
}  // namespace open311::store_test
