// `open311d users …` (issue 14, "Accounts"): the real binary as a child process; passwords
// come on standard input and never appear in any output or audit line.
#include "support/cli_run.hpp"
#include "support/temp_dir.hpp"
#include "util/password.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>

#include <string>

namespace open311::test {
namespace {

/// Runs `open311d users ARGS --db users.db` in `dir` with `input` on standard input.
CliRun users(const TempDir& dir, const std::string& args, const std::string& input = "") {
    return run_cli(dir.path(), "users " + args + " --db users.db", input);
}

std::unique_ptr<Store> open_db(const TempDir& dir) {
    Config c;
    c.db_path = dir.path() + "/users.db";
    return make_store(c);
}

TEST(UsersCli, CreateReadsThePasswordFromStdinAndHashesIt) {
    TempDir dir;
    auto r = users(dir, "create --name maija.moderaattori --role admin", "s3cret password\n");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.find("s3cret"), std::string::npos);
    auto list = users(dir, "list");
    ASSERT_EQ(list.code, 0) << list.err;
    EXPECT_NE(list.out.find("maija.moderaattori\tadmin\t"), std::string::npos) << list.out;
    EXPECT_EQ(list.out.find("argon2"), std::string::npos);

    auto store = open_db(dir);
    auto user = store->find_user("maija.moderaattori");
    ASSERT_TRUE(user);
    EXPECT_TRUE(verify_password("s3cret password", user->password_hash));
    auto audit = store->search_audit({});
    ASSERT_EQ(audit.size(), 1U);
    EXPECT_EQ(audit[0].action, "user.create");
    EXPECT_EQ(audit[0].actor, "cli");
}

TEST(UsersCli, RefusesShortPasswordsBadNamesAndRoles) {
    TempDir dir;
    EXPECT_EQ(users(dir, "create --name maija --role staff", "eleven char\n").code, 2);
    EXPECT_EQ(users(dir, "create --name 'bad name' --role staff", "long enough pw\n").code, 2);
    EXPECT_EQ(users(dir, "create --name ab --role staff", "long enough pw\n").code, 2);
    EXPECT_EQ(users(dir, "create --name maija --role client", "long enough pw\n").code, 2);
    EXPECT_EQ(users(dir, "create --name maija --role staff", "").code, 2);
    ASSERT_EQ(users(dir, "create --name maija --role staff", "long enough pw\n").code, 0);
    auto taken = users(dir, "create --name maija --role admin", "long enough pw\n");
    EXPECT_EQ(taken.code, 1);
    EXPECT_NE(taken.err.find("already exists"), std::string::npos);
    EXPECT_EQ(open_db(dir)->list_users().size(), 1U);
}

TEST(UsersCli, DisableAndPassword) {
    TempDir dir;
    ASSERT_EQ(users(dir, "create --name pekka@example.org --role staff", "first password\n").code,
              0);
    ASSERT_EQ(users(dir, "password pekka@example.org", "second password\r\n").code, 0);
    EXPECT_EQ(users(dir, "password pekka@example.org", "short\n").code, 2);
    EXPECT_EQ(users(dir, "password nobody", "long enough pw\n").code, 1);
    {
        auto store = open_db(dir);
        auto user = store->find_user("pekka@example.org");
        EXPECT_TRUE(verify_password("second password", user->password_hash));
    }
    ASSERT_EQ(users(dir, "disable pekka@example.org").code, 0);
    EXPECT_EQ(users(dir, "disable nobody").code, 1);
    auto list = users(dir, "list");
    EXPECT_NE(list.out.find("pekka@example.org\tstaff\t"), std::string::npos);
    EXPECT_NE(list.out.find("\tdisabled\n"), std::string::npos) << list.out;
}

}  // namespace
}  // namespace open311::test
