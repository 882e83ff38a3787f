// StaffStore contract: console users (unique names, disabling, passwords, languages),
// sessions by token hash (ended with the user's password change or disabling) and failed
// sign-ins counted per key within a window.
#include "open311/store/staff_store.hpp"

#include "store/store_contract.hpp"

namespace open311::store_test {
namespace {

template <typename Backend>
class StaffContract : public StoreContract<Backend> {
protected:
    static StaffUser user(const std::string& name, Role role = Role::staff) {
        StaffUser u;
        u.name = name;
        u.role = role;
        u.password_hash = "hash-of-" + name;
        u.created_at = StoreContract<Backend>::kT0;
        return u;
    }
    static StaffSession session(const std::string& token_hash, const std::string& user) {
        const auto t = StoreContract<Backend>::kT0;
        return StaffSession{token_hash, user, "csrf-" + token_hash, t, t};
    }
};
TYPED_TEST_SUITE(StaffContract, StoreBackends, BackendNames);

TYPED_TEST(StaffContract, UsersAreUniqueByNameAndListedInOrder) {
    auto& store = this->store();
    EXPECT_TRUE(store.insert_user(this->user("maija", Role::admin), this->audit("user.create")));
    EXPECT_TRUE(store.insert_user(this->user("liisa@example.org"), this->audit("user.create")));
    EXPECT_FALSE(store.insert_user(this->user("maija"), this->audit("user.create")));
    auto users = store.list_users();
    ASSERT_EQ(users.size(), 2U);
    EXPECT_EQ(users[0].name, "liisa@example.org");
    EXPECT_EQ(users[1].name, "maija");
    EXPECT_EQ(users[1].role, Role::admin);
    EXPECT_EQ(users[1].password_hash, "hash-of-maija");
    EXPECT_EQ(users[1].created_at, this->kT0);
    EXPECT_FALSE(users[1].disabled_at);
    EXPECT_EQ(users[1].language, "");
    EXPECT_FALSE(store.find_user("nobody"));
    // One audit line per user created; none for the refused duplicate.
    EXPECT_EQ(store.search_audit({}).size(), 2U);
}

TYPED_TEST(StaffContract, DisablingAndPasswordChangesEndTheUsersSessions) {
    auto& store = this->store();
    ASSERT_TRUE(store.insert_user(this->user("maija"), this->audit("user.create")));
    ASSERT_TRUE(store.insert_user(this->user("pekka"), this->audit("user.create")));
    store.insert_session(this->session("s1", "maija"));
    store.insert_session(this->session("s2", "maija"));
    store.insert_session(this->session("s3", "pekka"));

    EXPECT_TRUE(store.set_user_password("maija", "new-hash", this->audit("user.password")));
    EXPECT_EQ(store.find_user("maija")->password_hash, "new-hash");
    EXPECT_FALSE(store.find_session("s1"));
    EXPECT_FALSE(store.find_session("s2"));
    EXPECT_TRUE(store.find_session("s3"));
    EXPECT_FALSE(store.set_user_password("nobody", "h", this->audit("user.password")));

    EXPECT_TRUE(store.disable_user("pekka", this->kT0 + 9, this->audit("user.disable")));
    EXPECT_EQ(store.find_user("pekka")->disabled_at, this->kT0 + 9);
    EXPECT_FALSE(store.find_session("s3"));
    // Disabling twice changes nothing and writes no second line.
    const auto lines = store.search_audit({}).size();
    EXPECT_FALSE(store.disable_user("pekka", this->kT0 + 10, this->audit("user.disable")));
    EXPECT_EQ(store.find_user("pekka")->disabled_at, this->kT0 + 9);
    EXPECT_EQ(store.search_audit({}).size(), lines);

    EXPECT_TRUE(store.set_user_language("maija", "fi"));
    EXPECT_EQ(store.find_user("maija")->language, "fi");
    EXPECT_FALSE(store.set_user_language("nobody", "fi"));
}

TYPED_TEST(StaffContract, SessionsAreFoundByHashTouchedEndedAndPurged) {
    auto& store = this->store();
    ASSERT_TRUE(store.insert_user(this->user("maija"), this->audit("user.create")));
    store.insert_session(this->session("old", "maija"));
    store.insert_session(this->session("busy", "maija"));
    auto found = store.find_session("busy");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->user_name, "maija");
    EXPECT_EQ(found->csrf_token, "csrf-busy");
    EXPECT_EQ(found->created_at, this->kT0);

    store.touch_session("busy", this->kT0 + 100);
    store.touch_session("busy", this->kT0 + 50);  // a late touch never moves it back
    EXPECT_EQ(store.find_session("busy")->last_seen_at, this->kT0 + 100);

    // Idle since before kT0 + 60: "old" goes, "busy" stays.
    EXPECT_EQ(store.purge_sessions(this->kT0 + 60, this->kT0 - 1), 1);
    EXPECT_FALSE(store.find_session("old"));
    // Created before kT0 + 1: the absolute lifetime ends "busy" however active.
    EXPECT_EQ(store.purge_sessions(this->kT0, this->kT0 + 1), 1);
    EXPECT_FALSE(store.find_session("busy"));

    store.insert_session(this->session("s", "maija"));
    EXPECT_TRUE(store.delete_session("s"));
    EXPECT_FALSE(store.delete_session("s"));
    EXPECT_FALSE(store.find_session("s"));
}

TYPED_TEST(StaffContract, LoginFailuresAreCountedPerKeyWithinTheWindow) {
    auto& store = this->store();
    store.record_login_failure("user:maija", this->kT0);
    store.record_login_failure("user:maija", this->kT0 + 10);
    store.record_login_failure("user:maija", this->kT0 + 20);
    store.record_login_failure("addr:192.0.2.1", this->kT0 + 20);
    EXPECT_EQ(store.count_login_failures("user:maija", this->kT0), 3);
    EXPECT_EQ(store.count_login_failures("user:maija", this->kT0 + 10), 2);
    EXPECT_EQ(store.count_login_failures("addr:192.0.2.1", this->kT0), 1);
    EXPECT_EQ(store.count_login_failures("user:pekka", this->kT0), 0);

    EXPECT_EQ(store.purge_login_failures(this->kT0 + 10), 1);
    EXPECT_EQ(store.count_login_failures("user:maija", 0), 2);
    store.clear_login_failures("user:maija");
    EXPECT_EQ(store.count_login_failures("user:maija", 0), 0);
    EXPECT_EQ(store.count_login_failures("addr:192.0.2.1", 0), 1);
}

}  // namespace
}  // namespace open311::store_test
