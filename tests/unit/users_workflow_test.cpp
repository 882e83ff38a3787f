// Console accounts (issue 14, "Accounts"): name and password rules, Argon2id hashes, audit
// lines naming the actor, and sessions ended by disabling or a new password.
#include "support/temp_dir.hpp"
#include "util/password.hpp"
#include "workflow/audit.hpp"
#include "workflow/users.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>

namespace open311::workflow {
namespace {

class UsersWorkflow : public ::testing::Test {
protected:
    UsersWorkflow() {
        Config c;
        c.db_path = dir_.path() + "/users.db";
        c.db_synchronous = "normal";
        store_ = make_store(c);
    }
    test::TempDir dir_;
    std::unique_ptr<Store> store_;
};

TEST(UserNames, FollowTheContract) {
    for (const char* ok : {"maija.moderaattori", "liisa@example.org", "a_b", "X-9"}) {
        EXPECT_FALSE(user_name_problem(ok)) << ok;
    }
    EXPECT_FALSE(user_name_problem(std::string(64, 'a')));
    const std::vector<std::string> bad_names = {
        "ab", std::string(65, 'a'), "with space", "ääkköset", "semi;colon", "", "a/b"};
    for (const auto& bad : bad_names) {
        EXPECT_TRUE(user_name_problem(bad)) << bad;
    }
}

TEST(LoggableActor, AnEmailAddressNeverReachesALogLine) {
    EXPECT_EQ(loggable_actor("maija.moderaattori"), "maija.moderaattori");
    EXPECT_EQ(loggable_actor("staff-key"), "staff-key");
    EXPECT_EQ(loggable_actor("liisa@example.org"), "a console user");
}

TEST(Passwords, AtLeastTwelveCharacters) {
    EXPECT_TRUE(password_problem("elevenchars"));
    EXPECT_FALSE(password_problem("twelve chars"));
}

TEST(Passwords, HashedWithArgon2idAndVerified) {
    const auto hash = hash_password("correct horse battery");
    EXPECT_EQ(hash.rfind("$argon2id$", 0), 0U) << hash;
    EXPECT_NE(hash, hash_password("correct horse battery"));  // salted
    EXPECT_TRUE(verify_password("correct horse battery", hash));
    EXPECT_FALSE(verify_password("correct horse batterY", hash));
    EXPECT_FALSE(verify_password("anything", "not a hash"));
    EXPECT_FALSE(verify_password("anything", ""));
}

TEST_F(UsersWorkflow, CreateIsAuditedWithoutThePassword) {
    auto created = create_user(*store_, "maija", Role::admin, "a long password!", "cli");
    ASSERT_TRUE(created.ok());
    auto stored = store_->find_user("maija");
    ASSERT_TRUE(stored);
    EXPECT_TRUE(verify_password("a long password!", stored->password_hash));
    auto audit = store_->search_audit({});
    ASSERT_EQ(audit.size(), 1U);
    EXPECT_EQ(audit[0].actor, "cli");
    EXPECT_EQ(audit[0].action, "user.create");
    EXPECT_EQ(audit[0].subject, "maija");
    EXPECT_EQ(audit[0].detail.find("a long password"), std::string::npos);
    EXPECT_EQ(audit[0].detail.find("argon2"), std::string::npos);

    auto again = create_user(*store_, "maija", Role::staff, "another password", "cli");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.errors[0].code, ErrorCode::conflict);
}

TEST_F(UsersWorkflow, CreateRefusesEveryBadFieldAtOnce) {
    auto r = create_user(*store_, "x", Role::client, "short", "cli");
    ASSERT_EQ(r.errors.size(), 3U);
    EXPECT_EQ(r.errors[0].description.rfind("name:", 0), 0U);
    EXPECT_EQ(r.errors[1].description.rfind("role:", 0), 0U);
    EXPECT_EQ(r.errors[2].description.rfind("password:", 0), 0U);
    EXPECT_TRUE(store_->list_users().empty());
}

TEST_F(UsersWorkflow, DisableAndPasswordEndSessions) {
    ASSERT_TRUE(create_user(*store_, "pekka", Role::staff, "a long password!", "admin1").ok());
    store_->insert_session(StaffSession{"t1", "pekka", "c", 1, 1});
    ASSERT_TRUE(set_user_password(*store_, "pekka", "another long one", "admin1").ok());
    EXPECT_FALSE(store_->find_session("t1"));
    EXPECT_TRUE(verify_password("another long one", store_->find_user("pekka")->password_hash));
    EXPECT_FALSE(set_user_password(*store_, "pekka", "short", "admin1").ok());
    EXPECT_EQ(set_user_password(*store_, "nobody", "long enough pw", "a").errors[0].code,
              ErrorCode::not_found);

    store_->insert_session(StaffSession{"t2", "pekka", "c", 1, 1});
    auto disabled = disable_user(*store_, "pekka", "admin1");
    ASSERT_TRUE(disabled.ok());
    EXPECT_TRUE(disabled.value->disabled_at);
    EXPECT_FALSE(store_->find_session("t2"));
    EXPECT_TRUE(disable_user(*store_, "pekka", "admin1").ok());  // again: no change
    EXPECT_EQ(disable_user(*store_, "nobody", "admin1").errors[0].code, ErrorCode::not_found);
    std::vector<std::string> actions;
    for (const auto& a : store_->search_audit({})) {
        actions.push_back(a.action);
        EXPECT_EQ(a.actor, "admin1");
    }
    EXPECT_EQ(actions.size(), 3U);  // create, password, disable (the repeat wrote nothing)
}

}  // namespace
}  // namespace open311::workflow
