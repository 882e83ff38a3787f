// KeyStore and AbuseStore contract: keys by hash, revocation, audited variants; limits, usage,
// idempotency claims (of concurrent claims exactly one wins).
#include "store/store_contract.hpp"

#include "open311/store/abuse_store.hpp"
#include "open311/store/key_store.hpp"

#include <atomic>
#include <thread>

namespace open311::store_test {
namespace {

template <typename Backend>
class KeyAbuseContract : public StoreContract<Backend> {
protected:
    static ApiKey key(const std::string& name, Role role = Role::client) {
        ApiKey k;
        k.name = name;
        k.role = role;
        k.prefix = "o311_" + name;
        k.created_at = StoreContract<Backend>::kT0;
        return k;
    }
    static IdempotencyRecord record(const std::string& key, Timestamp at) {
        return IdempotencyRecord{"client", key, "fp-1", "req-" + key, at, 0, "", ""};
    }
};
TYPED_TEST_SUITE(KeyAbuseContract, StoreBackends, BackendNames);

TYPED_TEST(KeyAbuseContract, KeysAreStoredByHashListedAndRevoked) {
    auto& store = this->store();
    auto staff = this->key("staff", Role::staff);
    staff.expires_at = this->kT0 + 3600;
    EXPECT_TRUE(store.insert_key(staff, "h-staff"));
    EXPECT_TRUE(store.insert_key(this->key("app"), "h-app"));
    EXPECT_FALSE(store.insert_key(this->key("app"), "h-other"));  // the name is taken
    auto found = store.find_key_by_hash("h-staff");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->name, "staff");
    EXPECT_EQ(found->role, Role::staff);
    EXPECT_EQ(found->expires_at, this->kT0 + 3600);
    EXPECT_FALSE(found->revoked_at);
    EXPECT_FALSE(store.find_key_by_hash("h-other"));
    auto keys = store.list_keys();
    ASSERT_EQ(keys.size(), 2U);
    EXPECT_EQ(keys[0].name, "app");

    EXPECT_TRUE(store.revoke_key("app", this->kT0 + 5));
    EXPECT_FALSE(store.revoke_key("app", this->kT0 + 6));
    EXPECT_FALSE(store.revoke_key("nobody", this->kT0));
    EXPECT_EQ(store.find_key_by_hash("h-app")->revoked_at, this->kT0 + 5);
    EXPECT_TRUE(store.search_audit({}).empty());  // the plain variants write no line
}

TYPED_TEST(KeyAbuseContract, AuditedVariantsWriteTheirLineOnlyWhenTheyChangeSomething) {
    auto& store = this->store();
    EXPECT_TRUE(store.insert_key_audited(this->key("k"), "h-k", this->audit("key.create")));
    EXPECT_FALSE(store.insert_key_audited(this->key("k"), "h-k2", this->audit("key.create")));
    EXPECT_TRUE(store.revoke_key_audited("k", this->kT0, this->audit("key.revoke")));
    EXPECT_FALSE(store.revoke_key_audited("k", this->kT0, this->audit("key.revoke")));
    EXPECT_FALSE(store.revoke_key_audited("nobody", this->kT0, this->audit("key.revoke")));
    AuditFilter f;
    f.action = "key.";
    EXPECT_EQ(store.search_audit(f).size(), 2U);
}

TYPED_TEST(KeyAbuseContract, LimitsAndUsage) {
    auto& store = this->store();
    store.insert_key(this->key("k"), "h");
    EXPECT_FALSE(store.find_key_limits("nobody"));
    auto limits = store.find_key_limits("k");
    ASSERT_TRUE(limits);
    EXPECT_FALSE(limits->posts_per_minute);
    EXPECT_TRUE(store.set_key_limits("k", KeyLimits{30, std::nullopt}));
    EXPECT_FALSE(store.set_key_limits("nobody", KeyLimits{30, 5}));
    EXPECT_EQ(store.find_key_limits("k")->posts_per_minute, 30);
    EXPECT_FALSE(store.find_key_limits("k")->burst);

    store.add_key_usage({{"k", KeyUsage{"2027-01-01", 1, 2, 3}}, {"k", KeyUsage{"2027-01-02", 1}}});
    store.add_key_usage({{"k", KeyUsage{"2027-01-01", 10, 0, 0}}});
    store.add_key_usage({});
    auto usage = store.key_usage("k", 10);
    ASSERT_EQ(usage.size(), 2U);
    EXPECT_EQ(usage[0].day, "2027-01-02");
    EXPECT_EQ(usage[1].created, 11);
    EXPECT_EQ(usage[1].rate_limited, 3);
    EXPECT_EQ(store.key_usage("k", 1).size(), 1U);
    EXPECT_TRUE(store.key_usage("nobody", 10).empty());
}

TYPED_TEST(KeyAbuseContract, IdempotencyClaimsLifeCycle) {
    auto& store = this->store();
    const Timestamp t = this->kT0;
    auto first = store.claim_idempotency_key(this->record("a", t), t - 100);
    EXPECT_TRUE(first.claimed);
    auto again = store.claim_idempotency_key(this->record("a", t + 1), t - 100);
    EXPECT_FALSE(again.claimed);
    EXPECT_EQ(again.record.created_at, t);
    EXPECT_EQ(again.record.status, 0);

    auto answered = this->record("a", t);
    answered.status = 201;
    answered.content_type = "application/json";
    answered.body = "[]";
    store.complete_idempotency_key(answered);
    again = store.claim_idempotency_key(this->record("a", t + 2), t - 100);
    EXPECT_FALSE(again.claimed);
    EXPECT_EQ(again.record.status, 201);
    EXPECT_EQ(again.record.body, "[]");
    store.release_idempotency_key("client", "a");  // an answered record stays
    EXPECT_FALSE(store.claim_idempotency_key(this->record("a", t + 3), t - 100).claimed);

    // Renewed while unanswered; released so that the client can retry.
    EXPECT_TRUE(store.claim_idempotency_key(this->record("b", t), t - 100).claimed);
    store.renew_idempotency_key(this->record("b", t + 50));
    EXPECT_EQ(store.claim_idempotency_key(this->record("b", t + 60), t - 100).record.created_at,
              t + 50);
    store.release_idempotency_key("client", "b");
    EXPECT_TRUE(store.claim_idempotency_key(this->record("b", t + 70), t - 100).claimed);

    // An expired record is replaced by a new claim; purge removes the old ones.
    EXPECT_TRUE(store.claim_idempotency_key(this->record("a", t + 500), t + 1).claimed);
    EXPECT_EQ(store.purge_idempotency_keys(t + 100), 1);  // "b" (t + 70)
    EXPECT_EQ(store.purge_idempotency_keys(t + 100), 0);
}

TYPED_TEST(KeyAbuseContract, OfConcurrentClaimsExactlyOneWins) {
    auto& store = this->store();
    constexpr int kThreads = 8;
    std::atomic<int> won{0};
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i) {
        threads.emplace_back([&] {
            if (store.claim_idempotency_key(this->record("race", this->kT0), this->kT0 - 1)
                    .claimed) {
                ++won;
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(won.load(), 1);
}

}  // namespace
}  // namespace open311::store_test
