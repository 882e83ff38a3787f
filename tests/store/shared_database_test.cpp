// Two stores on one database, as two servers share one: a version check lets one of two
// moderators win, an outbox message is claimed by one sender, an idempotency key by one
// request. (SQLite: two stores on one file; PostgreSQL: two pools on one schema.)
#include "store/store_contract.hpp"

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

namespace open311::store_test {
namespace {

template <typename Backend>
class SharedDatabaseContract : public StoreContract<Backend> {
protected:
    SharedDatabaseContract() : other_(this->backend_.open()) {}
    Store& other() { return *other_; }

    std::unique_ptr<Store> other_;
};
TYPED_TEST_SUITE(SharedDatabaseContract, StoreBackends, BackendNames);

TYPED_TEST(SharedDatabaseContract, WritesOfOneAreReadByTheOtherAtOnce) {
    this->store().insert_request(this->request("s1"));
    auto found = this->other().find_request("s1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->description, "Hole in the road s1");
}

TYPED_TEST(SharedDatabaseContract, OfTwoModeratorsOnTheSameVersionOneWins) {
    this->store().insert_request(this->request("s2"));
    constexpr int kModerators = 8;
    const auto start = this->store().find_request("s2");
    ASSERT_TRUE(start);
    std::atomic<int> applied{0};
    std::atomic<int> stale{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kModerators; ++i) {
        threads.emplace_back([&, i] {
            Store& store = i % 2 == 0 ? this->store() : this->other();
            RequestChange c;
            c.request_id = "s2";
            c.expected_version = start->version;
            c.after = *start;
            c.after->state = ModerationState::published;
            c.after->status_notes = "moderator " + std::to_string(i);
            c.audit.push_back(this->audit("request.publish", "s2"));
            const auto outcome = store.commit_request_change(c);
            ++(outcome == ChangeOutcome::applied ? applied : stale);
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(applied.load(), 1);
    EXPECT_EQ(stale.load(), kModerators - 1);
    EXPECT_EQ(this->other().find_request("s2")->version, start->version + 1);
    EXPECT_EQ(this->store().list_request_audit("s2").size(), 1U);  // the loser wrote nothing
}

TYPED_TEST(SharedDatabaseContract, EveryMessageIsClaimedByOneSenderOnly) {
    this->store().insert_request(this->request("s3"));
    constexpr int kMessages = 30;
    RequestChange mail;
    mail.request_id = "s3";
    for (int i = 0; i < kMessages; ++i) {
        mail.notifications.push_back(this->message("m" + std::to_string(i) + "@example.org"));
    }
    ASSERT_EQ(this->store().commit_request_change(mail), ChangeOutcome::applied);
    std::mutex mutex;
    std::vector<std::string> leases;
    std::vector<std::thread> senders;
    for (int i = 0; i < 4; ++i) {
        senders.emplace_back([&, i] {
            Store& store = i % 2 == 0 ? this->store() : this->other();
            for (;;) {
                auto claimed = store.claim_due_notifications(this->kT0, 3, this->kT0 + 600);
                if (claimed.empty()) {
                    return;
                }
                std::lock_guard lock(mutex);
                for (const auto& n : claimed) {
                    leases.push_back(n.lease);
                }
            }
        });
    }
    for (auto& t : senders) {
        t.join();
    }
    ASSERT_EQ(leases.size(), static_cast<std::size_t>(kMessages));
    const std::set<std::string> distinct(leases.begin(), leases.end());
    EXPECT_EQ(distinct.size(), leases.size());
    for (std::size_t i = 0; i < leases.size(); ++i) {
        Store& store = i % 2 == 0 ? this->other() : this->store();
        EXPECT_TRUE(store.mark_notification_sent(leases[i], this->kT0 + 1));
        EXPECT_FALSE(store.mark_notification_sent(leases[i], this->kT0 + 2));  // recorded once
    }
}

TYPED_TEST(SharedDatabaseContract, OfConcurrentIdempotencyClaimsOnBothExactlyOneWins) {
    constexpr int kThreads = 8;
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&, i] {
            Store& store = i % 2 == 0 ? this->store() : this->other();
            IdempotencyRecord fresh{
                "client", "k", "fp", "req-" + std::to_string(i), this->kT0, 0, "", ""};
            if (store.claim_idempotency_key(fresh, this->kT0 - 1).claimed) {
                ++won;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(won.load(), 1);
}

TYPED_TEST(SharedDatabaseContract, AKeyRevokedOrLimitedOnOneIsSeenByTheOtherWithinASecond) {
    ApiKey key;
    key.name = "shared-client";
    key.role = Role::client;
    key.prefix = "sc";
    key.created_at = this->kT0;
    ASSERT_TRUE(this->store().insert_key(key, "hash-of-shared"));
    // Both read the key (a store may keep it in memory from now on).
    ASSERT_TRUE(this->other().find_key_by_hash("hash-of-shared"));
    ASSERT_TRUE(this->other().find_key_limits("shared-client"));
    ASSERT_FALSE(this->other().find_key_by_hash("hash-of-shared")->revoked_at);

    ASSERT_TRUE(this->store().revoke_key("shared-client", this->kT0 + 5));
    ASSERT_TRUE(this->store().set_key_limits("shared-client", KeyLimits{7, 3}));
    // The store that wrote sees its change at once.
    EXPECT_EQ(this->store().find_key_by_hash("hash-of-shared")->revoked_at, this->kT0 + 5);
    EXPECT_EQ(this->store().find_key_limits("shared-client")->posts_per_minute, 7);
    // The other, within a second (at once on SQLite; through the change feed on PostgreSQL).
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(1500);
    while (!(this->other().find_key_by_hash("hash-of-shared")->revoked_at &&
             this->other().find_key_limits("shared-client")->posts_per_minute == 7) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    EXPECT_EQ(this->other().find_key_by_hash("hash-of-shared")->revoked_at, this->kT0 + 5);
    EXPECT_EQ(this->other().find_key_limits("shared-client")->burst, 3);
}

}  // namespace
}  // namespace open311::store_test
