// The staff console over loopback (issue 14): sign-in and its throttling, sessions and their
// expiry, CSRF on every form, roles, the queue, the request page's actions, citizen updates,
// and no personal field in any public answer after console actions. Pages are parsed as
// XHTML and checked by structure.
#include "support/console_browser.hpp"
#include "support/server_fixture.hpp"
#include "util/random.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace open311::test {
namespace {

constexpr const char* kPassword = "a long password!";

/// A server with one staff and one admin user.
class StaffConsole : public ::testing::Test {
protected:
    explicit StaffConsole(const std::function<void(Config&)>& tweak = {}) : server_(tweak) {
        create_console_user(server_, "maija.moderaattori", Role::staff);
        create_console_user(server_, "admin@example.org", Role::admin);
    }

    /// A browser signed in as the staff user.
    ConsoleBrowser staff() {
        ConsoleBrowser b(server_);
        auto r = b.sign_in("maija.moderaattori", kPassword);
        EXPECT_EQ(r.status(), 303);
        return b;
    }

    ServiceRequest stored(const std::string& id) { return *server_.store().find_request(id); }

    TestServer server_;
};

TEST_F(StaffConsole, SignInPageIsTheContractFormWithStrictHeaders) {
    ConsoleBrowser b(server_);
    auto page = b.get("/staff/login");
    ASSERT_EQ(page.status(), 200);
    EXPECT_EQ(page.all("//form[@action='/staff/login' and @method='post']").size(), 1U);
    EXPECT_EQ(page.all("//form//input[@name='username']").size(), 1U);
    EXPECT_EQ(page.all("//form//input[@name='password' and @type='password']").size(), 1U);
    EXPECT_EQ(page.text("//form//button[@type='submit']"), "Sign in");
    EXPECT_FALSE(ConsoleBrowser::csrf(page).empty());
    // No inline script: every script has a source and no body.
    for (auto script : page.all("//script")) {
        EXPECT_FALSE(std::string(script.node().attribute("src").value()).empty());
        EXPECT_TRUE(std::string(script.node().text().get()).empty());
    }
    const auto csp = page.response.header("content-security-policy");
    EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos) << csp;
    EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
    EXPECT_EQ(csp.find("unsafe-inline"), std::string::npos) << csp;
    const auto cookie = page.response.header("set-cookie");
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_EQ(cookie.find("Secure"), std::string::npos);  // plain HTTP here
}

TEST_F(StaffConsole, SignInSignOutAndTheSessionCookie) {
    ConsoleBrowser b(server_);
    EXPECT_EQ(b.get("/staff/").status(), 303);
    auto signed_in = b.sign_in("maija.moderaattori", kPassword);
    ASSERT_EQ(signed_in.status(), 303);
    EXPECT_EQ(signed_in.response.header("location"), "/staff/");
    const auto cookie = signed_in.response.header("set-cookie");
    EXPECT_EQ(cookie.rfind("open311_session=", 0), 0U);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(cookie.find("Path=/staff"), std::string::npos);
    // The store holds the token's hash, never the token.
    const auto token = b.cookies.at("open311_session");
    EXPECT_FALSE(server_.store().find_session(token));
    EXPECT_TRUE(server_.store().find_session(sha256_hex(token)));

    auto queue = b.get("/staff/");
    ASSERT_EQ(queue.status(), 200);
    EXPECT_EQ(queue.text("//form[@action='/staff/logout']//button"), "Sign out");
    EXPECT_EQ(queue.response.header("cache-control"), "no-store");

    auto out = b.post("/staff/logout", {{"csrf", ConsoleBrowser::csrf(queue)}});
    EXPECT_EQ(out.status(), 303);
    EXPECT_FALSE(server_.store().find_session(sha256_hex(token)));
    b.cookies["open311_session"] = token;  // the old cookie opens nothing any more
    EXPECT_EQ(b.get("/staff/").status(), 303);
}

TEST_F(StaffConsole, WrongPasswordsAreRefusedAndTheSignInFormNeedsItsToken) {
    ConsoleBrowser b(server_);
    auto wrong = b.sign_in("maija.moderaattori", "not the password");
    EXPECT_EQ(wrong.status(), 200);
    EXPECT_FALSE(wrong.text("//*[@role='alert']").empty());
    EXPECT_EQ(b.cookies.count("open311_session"), 0U);
    auto unknown = b.sign_in("nobody.here", kPassword);
    EXPECT_EQ(unknown.text("//*[@role='alert']"), wrong.text("//*[@role='alert']"));

    auto no_token =
        b.post("/staff/login", {{"username", "maija.moderaattori"}, {"password", kPassword}});
    EXPECT_EQ(no_token.status(), 403);
    EXPECT_EQ(b.cookies.count("open311_session"), 0U);
}

TEST_F(StaffConsole, DisabledUsersCannotSignInAndLoseTheirSessions) {
    auto b = staff();
    ASSERT_EQ(b.get("/staff/").status(), 200);
    ASSERT_TRUE(server_.store().disable_user("maija.moderaattori", now(), AuditEntry{}));
    EXPECT_EQ(b.get("/staff/").status(), 303);
    ConsoleBrowser again(server_);
    EXPECT_EQ(again.sign_in("maija.moderaattori", kPassword).status(), 200);
    EXPECT_EQ(again.cookies.count("open311_session"), 0U);
}

class ThrottledConsole : public StaffConsole {
protected:
    ThrottledConsole()
        : StaffConsole([](Config& c) {
              c.console.login_failures_per_account = 3;
              c.console.login_failures_per_address = 5;
          }) {}
};

TEST_F(ThrottledConsole, SignInIsThrottledPerAccountAndPerAddress) {
    ConsoleBrowser b(server_);
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(b.sign_in("maija.moderaattori", "wrong password " + std::to_string(i)).status(),
                  200);
    }
    // The account waits, even with the right password.
    auto throttled = b.sign_in("maija.moderaattori", kPassword);
    EXPECT_EQ(throttled.status(), 429);
    EXPECT_FALSE(throttled.response.header("retry-after").empty());
    EXPECT_EQ(b.cookies.count("open311_session"), 0U);
    // Two more failures on other names reach the address's limit: now nobody signs in from it.
    EXPECT_EQ(b.sign_in("someone.else", "whatever password").status(), 200);
    EXPECT_EQ(b.sign_in("another.one", "whatever password").status(), 200);
    EXPECT_EQ(b.sign_in("admin@example.org", kPassword).status(), 429);
}

TEST_F(StaffConsole, ExpiredSessionsSendBackToSignIn) {
    const auto t = now();
    const auto idle = server_.config().console.idle_timeout.count();
    const auto life = server_.config().console.session_lifetime.count();
    auto with_session = [&](Timestamp created, Timestamp seen) {
        const auto token = random_id(40);
        server_.store().insert_session(
            StaffSession{sha256_hex(token), "maija.moderaattori", "csrf", created, seen});
        ConsoleBrowser b(server_);
        b.cookies["open311_session"] = token;
        return std::make_pair(b.get("/staff/").status(), token);
    };
    EXPECT_EQ(with_session(t - 10, t - 10).first, 200);
    auto [idle_status, idle_token] = with_session(t - idle - 5, t - idle - 5);
    EXPECT_EQ(idle_status, 303);
    EXPECT_FALSE(server_.store().find_session(sha256_hex(idle_token)));  // and it is gone
    // Active a moment ago, but signed in longer ago than the absolute lifetime.
    EXPECT_EQ(with_session(t - life - 5, t - 1).first, 303);
}

TEST_F(StaffConsole, QueueListsPendingRequestsWithCountsAndPublishes) {
    const auto pending = server_.submit({{"email", "citizen@example.org"}});
    const auto published = server_.submit_published();
    auto b = staff();
    auto queue = b.get("/staff/requests?state=pending");
    ASSERT_EQ(queue.status(), 200);
    EXPECT_EQ(queue.all("//table[@class='queue']/tbody/tr").size(), 1U);
    EXPECT_EQ(queue.attr("//table[@class='queue']/tbody/tr/@data-id"), pending);
    EXPECT_EQ(queue.text("//span[@data-state='pending']"), "1");
    EXPECT_EQ(queue.text("//span[@data-state='published']"), "1");
    EXPECT_EQ(queue.text("//span[@data-state='all']"), "2");
    auto all = b.get("/staff/requests?state=all");
    EXPECT_EQ(all.all("//table[@class='queue']/tbody/tr").size(), 2U);

    auto page = b.get("/staff/requests/" + pending);
    ASSERT_EQ(page.status(), 200);
    EXPECT_EQ(page.text("//dd[text()='citizen@example.org']"), "citizen@example.org");
    auto publish =
        b.post("/staff/requests/" + pending + "/publish", {{"csrf", ConsoleBrowser::csrf(page)}});
    EXPECT_EQ(publish.status(), 303);
    EXPECT_EQ(stored(pending).state, ModerationState::published);
    auto audit = server_.store().list_request_audit(pending);
    ASSERT_FALSE(audit.empty());
    EXPECT_EQ(audit.back().actor, "maija.moderaattori");
    EXPECT_EQ(audit.back().action, "request.publish");

    auto listed = server_.client().get(server_.base() + "/requests.json");
    bool found = false;
    for (const auto& r : listed.json()) {
        found = found || r["service_request_id"] == pending;
    }
    EXPECT_TRUE(found);
    (void)published;
}

TEST_F(StaffConsole, FormsWithoutTheirCsrfTokenChangeNothing) {
    const auto id = server_.submit();
    auto b = staff();
    EXPECT_EQ(b.post("/staff/requests/" + id + "/publish", {}).status(), 403);
    EXPECT_EQ(b.post("/staff/requests/" + id + "/publish", {{"csrf", "forged"}}).status(), 403);
    EXPECT_EQ(b.post("/staff/requests/" + id + "/reject", {{"reason", "spam"}}).status(), 403);
    EXPECT_EQ(b.post("/staff/requests/bulk", {{"action", "publish"}, {"id", id}}).status(), 403);
    EXPECT_EQ(b.post("/staff/logout", {}).status(), 403);
    EXPECT_EQ(stored(id).state, ModerationState::pending);
    EXPECT_EQ(stored(id).version, 1);
    EXPECT_EQ(b.get("/staff/").status(), 200);  // still signed in
    // Without any session at all: refused the same way.
    ConsoleBrowser stranger(server_);
    EXPECT_EQ(stranger.post("/staff/requests/" + id + "/publish", {{"csrf", "x"}}).status(), 403);
    EXPECT_EQ(stored(id).state, ModerationState::pending);
}

TEST_F(StaffConsole, RejectNeedsAReasonAndUnpublishTakesBack) {
    const auto id = server_.submit();
    auto b = staff();
    const auto csrf = b.csrf();
    auto no_reason = b.post("/staff/requests/" + id + "/reject", {{"csrf", csrf}});
    EXPECT_EQ(no_reason.status(), 400);
    EXPECT_FALSE(no_reason.text("//*[@role='alert']").empty());
    EXPECT_EQ(stored(id).state, ModerationState::pending);
    EXPECT_EQ(
        b.post("/staff/requests/" + id + "/reject", {{"csrf", csrf}, {"reason", "Spam"}}).status(),
        303);
    EXPECT_EQ(stored(id).state, ModerationState::rejected);
    EXPECT_EQ(stored(id).reject_reason, "Spam");

    const auto other = server_.submit_published();
    EXPECT_EQ(b.post("/staff/requests/" + other + "/unpublish", {{"csrf", csrf}}).status(), 303);
    EXPECT_EQ(stored(other).state, ModerationState::pending);
    auto page = b.get("/staff/requests/" + other);
    EXPECT_EQ(page.all("//form[contains(@action,'/publish')]//button[text()='Publish']").size(),
              1U);
    EXPECT_EQ(page.all("//button[text()='Reject']").size(), 1U);
    EXPECT_EQ(page.all("//button[text()='Unpublish']").size(), 0U);
}

TEST_F(StaffConsole, BulkPublishAndBulkReject) {
    const auto a = server_.submit();
    const auto b_id = server_.submit();
    const auto c = server_.submit();
    auto b = staff();
    const auto csrf = b.csrf();
    auto published = b.post("/staff/requests/bulk",
                            {{"csrf", csrf}, {"action", "publish"}, {"id", a}, {"id", b_id}});
    EXPECT_EQ(published.status(), 303);
    EXPECT_EQ(stored(a).state, ModerationState::published);
    EXPECT_EQ(stored(b_id).state, ModerationState::published);
    EXPECT_EQ(stored(c).state, ModerationState::pending);
    // Reject without its one reason: nothing happens.
    b.post("/staff/requests/bulk", {{"csrf", csrf}, {"action", "reject"}, {"id", c}});
    EXPECT_EQ(stored(c).state, ModerationState::pending);
    b.post("/staff/requests/bulk",
           {{"csrf", csrf}, {"action", "reject"}, {"id", c}, {"reason", "Duplicate"}});
    EXPECT_EQ(stored(c).state, ModerationState::rejected);
    EXPECT_EQ(stored(c).reject_reason, "Duplicate");
}

TEST_F(StaffConsole, SavingClosedAlonePublishesTheNoteAndAConcurrentEditConflicts) {
    const auto id = server_.submit_published();
    auto b = staff();
    auto page = b.get("/staff/requests/" + id);
    const auto csrf = ConsoleBrowser::csrf(page);
    const auto version =
        page.attr("//form[contains(@action,'/status')]//input[@name='version']/@value");
    ASSERT_EQ(page.text("//form[contains(@action,'/status')]//button"), "Save");
    auto saved = b.post("/staff/requests/" + id + "/status",
                        {{"csrf", csrf},
                         {"version", version},
                         {"status", "closed"},
                         {"detailed_status", ""},
                         {"status_notes", "Fixed on Monday."},
                         {"internal_note", "Crew 7 confirmed by phone."}});
    ASSERT_EQ(saved.status(), 303) << saved.response.body;
    EXPECT_EQ(stored(id).status, "closed");
    EXPECT_EQ(stored(id).status_notes, "Fixed on Monday.");
    // The public sees the note as status_notes and in the updates feed; never the internal one.
    auto updates = server_.client().get(server_.base() + "/servicerequestupdates.json");
    EXPECT_NE(updates.body.find("Fixed on Monday."), std::string::npos);
    EXPECT_EQ(updates.body.find("Crew 7"), std::string::npos);
    auto one = server_.client().get(server_.base() + "/requests/" + id + ".json");
    EXPECT_EQ(one.json()[0]["status_notes"], "Fixed on Monday.");
    EXPECT_EQ(one.body.find("Crew 7"), std::string::npos);
    auto history = b.get("/staff/requests/" + id);
    EXPECT_EQ(
        history.all("//ol[@class='timeline']/li/q[text()='Crew 7 confirmed by phone.']").size(),
        1U);

    // A second editor still holding the old version gets a conflict and the current state.
    auto stale = b.post(
        "/staff/requests/" + id + "/status",
        {{"csrf", csrf}, {"version", version}, {"status", "open"}, {"status_notes", "Reopened"}});
    EXPECT_EQ(stale.status(), 409);
    EXPECT_FALSE(stale.text("//*[@role='alert']").empty());
    EXPECT_EQ(stale.text("//dd[@id='f-status']"), "Closed");
    EXPECT_EQ(stored(id).status, "closed");
}

TEST_F(StaffConsole, StaffGets403OnAdminPages) {
    auto b = staff();
    EXPECT_EQ(b.get("/staff/admin/users").status(), 403);
    EXPECT_EQ(b.post("/staff/admin/users", {{"csrf", b.csrf()}}).status(), 403);
    auto queue = b.get("/staff/");
    EXPECT_EQ(queue.all("//nav//a[@href='/staff/admin/users']").size(), 0U);
}

TEST_F(StaffConsole, CitizenUpdatesAwaitModeration) {
    const auto id = server_.submit_published();
    auto posted =
        server_.client().post_form(server_.base() + "/servicerequestupdates.json",
                                   form({{"api_key", server_.client_key},
                                         {"service_request_id", id},
                                         {"update_id", "fms-1"},
                                         {"updated_datetime", "2026-05-01T10:00:00+03:00"},
                                         {"status", "OPEN"},
                                         {"description", "Still broken."},
                                         {"email", "commenter@example.org"}}));
    ASSERT_EQ(posted.status, 200) << posted.body;
    auto b = staff();
    auto page = b.get("/staff/updates");
    ASSERT_EQ(page.status(), 200);
    auto rows = page.all("//table[@class='queue']/tbody/tr");
    ASSERT_EQ(rows.size(), 1U);
    const std::string update_id = rows[0].node().attribute("data-id").value();
    auto done = b.post("/staff/updates/bulk",
                       {{"csrf", ConsoleBrowser::csrf(page)}, {"publish", update_id}});
    EXPECT_EQ(done.status(), 303);
    EXPECT_EQ(server_.store().find_update(update_id)->state, ModerationState::published);
    EXPECT_EQ(b.get("/staff/updates").all("//table[@class='queue']/tbody/tr").size(), 0U);
    auto feed = server_.client().get(server_.base() + "/servicerequestupdates.json");
    EXPECT_NE(feed.body.find("Still broken."), std::string::npos);
    EXPECT_EQ(feed.body.find("commenter@example.org"), std::string::npos);
}

TEST_F(StaffConsole, NoPersonalFieldInPublicAnswersAfterConsoleActions) {
    const auto id = server_.submit({{"email", "secret.person@example.org"},
                                    {"first_name", "Salainen"},
                                    {"last_name", "Henkilö"},
                                    {"phone", "+358401234567"}});
    auto b = staff();
    const auto csrf = b.csrf();
    ASSERT_EQ(b.post("/staff/requests/" + id + "/publish", {{"csrf", csrf}}).status(), 303);
    auto page = b.get("/staff/requests/" + id);
    b.post("/staff/requests/" + id + "/status",
           {{"csrf", csrf},
            {"version", page.attr("//input[@name='version']/@value")},
            {"status", "closed"},
            {"status_notes", "Done."}});
    const std::vector<std::string> targets = {"/requests.json",
                                              "/requests.xml",
                                              "/requests/" + id + ".json",
                                              "/requests/" + id + ".xml",
                                              "/servicerequestupdates.json",
                                              "/servicerequestupdates.xml",
                                              "/requests.json?extensions=true"};
    for (const auto& target : targets) {
        auto r = server_.client().get(server_.base() + target);
        ASSERT_EQ(r.status, 200) << target;
        for (const char* personal :
             {"secret.person", "Salainen", "Henkilö", "358401234567", "maija.moderaattori"}) {
            EXPECT_EQ(r.body.find(personal), std::string::npos) << personal << " in " << target;
        }
    }
}

TEST_F(StaffConsole, AssetsAreHashedAndCachedForAYear) {
    auto b = staff();
    auto page = b.get("/staff/");
    const auto css = page.attr("//link[@rel='stylesheet']/@href");
    ASSERT_EQ(css.rfind("/staff/assets/console.", 0), 0U) << css;
    auto asset = server_.client().get(css);
    EXPECT_EQ(asset.status, 200);
    EXPECT_EQ(asset.header("content-type"), "text/css; charset=utf-8");
    EXPECT_NE(asset.header("cache-control").find("immutable"), std::string::npos);
    EXPECT_NE(asset.header("cache-control").find("max-age=31536000"), std::string::npos);
    std::vector<std::string> scripts;
    for (auto s : page.all("//script/@src")) {
        scripts.emplace_back(s.attribute().value());
    }
    ASSERT_FALSE(scripts.empty());
    for (const auto& src : scripts) {
        EXPECT_EQ(server_.client().get(src).status, 200) << src;
    }
    EXPECT_EQ(server_.client().get("/staff/assets/console.css").status, 404);  // unhashed: no
}

TEST_F(StaffConsole, LanguageFollowsAcceptLanguageAndTheUserSetting) {
    ConsoleBrowser fi(server_, "fi-FI,fi;q=0.9,en;q=0.5");
    EXPECT_EQ(fi.get("/staff/login").text("//form//button"), "Kirjaudu sisään");
    ConsoleBrowser b(server_, "en");
    ASSERT_EQ(b.sign_in("maija.moderaattori", kPassword).status(), 303);
    EXPECT_EQ(b.post("/staff/settings", {{"csrf", b.csrf()}, {"language", "fi"}}).status(), 303);
    EXPECT_EQ(b.get("/staff/").text("//form[@action='/staff/logout']//button"), "Kirjaudu ulos");
    EXPECT_EQ(b.get("/staff/").attr("/html/@lang"), "fi");
}

TEST(StaffConsoleSetting, OffLeavesOnlyTheApi) {
    TestServer server([](Config& c) { c.console.enabled = false; });
    auto r = server.client().get("/staff/login");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(server.client().get(server.base() + "/services.json").status, 200);
}

}  // namespace
}  // namespace open311::test

namespace open311::test {
namespace {

TEST_F(StaffConsole, ServiceFilterTakesEveryLevelBelow) {
    const auto rats = server_.submit({{"service_code", "2806.10.2.2"}});
    const auto road = server_.submit({{"service_code", "171"}});
    auto b = staff();
    auto ids = [&](const std::string& service) {
        std::vector<std::string> out;
        auto page = b.get("/staff/requests?state=all&service=" + service);
        for (auto row : page.all("//table[@class='queue']/tbody/tr/@data-id")) {
            out.emplace_back(row.attribute().value());
        }
        return out;
    };
    EXPECT_EQ(ids("2806"), std::vector<std::string>{rats});
    EXPECT_EQ(ids("2806.10.2.2"), std::vector<std::string>{rats});
    EXPECT_EQ(ids("171"), std::vector<std::string>{road});
    EXPECT_TRUE(ids("9999").empty());
    // The CSV export follows the same filter and has no submitter fields.
    auto csv = b.get("/staff/requests.csv?state=all&service=2806");
    EXPECT_EQ(csv.response.header("content-type"), "text/csv; charset=utf-8");
    EXPECT_NE(csv.response.body.find(rats), std::string::npos);
    EXPECT_EQ(csv.response.body.find(road), std::string::npos);
    EXPECT_EQ(csv.response.body.find("@example"), std::string::npos);
}

TEST_F(StaffConsole, SendAgainQueuesAFailedEmail) {
    const auto id = server_.submit_published({{"email", "citizen@example.org"}});
    auto b = staff();
    auto page = b.get("/staff/requests/" + id);
    ASSERT_EQ(b.post("/staff/requests/" + id + "/status",
                     {{"csrf", ConsoleBrowser::csrf(page)},
                      {"version", page.attr("//input[@name='version']/@value")},
                      {"status", "closed"}})
                  .status(),
              303);
    // No relay in tests: the "processed" e-mail waits; fail it as a relay would.
    auto claimed = server_.store().claim_due_notifications(now() + 1, 10, now() + 60);
    ASSERT_EQ(claimed.size(), 1U);
    ASSERT_TRUE(server_.store().mark_notification_failed(claimed[0].lease, "550 no", {}));

    page = b.get("/staff/requests/" + id);
    EXPECT_EQ(page.text("//table[@class='emails']/tbody/tr/td[2]"), "citizen@example.org");
    const auto action = page.attr("//form[contains(@action,'/resend')]/@action");
    ASSERT_FALSE(action.empty());
    EXPECT_EQ(page.text("//form[contains(@action,'/resend')]/button"), "Send again");
    EXPECT_EQ(b.post(action, {}).status(), 403);  // CSRF as everywhere
    EXPECT_EQ(server_.store().list_request_notifications(id)[0].state, DeliveryState::failed);
    EXPECT_EQ(b.post(action, {{"csrf", ConsoleBrowser::csrf(page)}}).status(), 303);
    EXPECT_EQ(server_.store().list_request_notifications(id)[0].state, DeliveryState::pending);
    auto audit = server_.store().list_request_audit(id);
    EXPECT_EQ(audit.back().action, "notification.retry");
    EXPECT_EQ(audit.back().actor, "maija.moderaattori");
    EXPECT_EQ(audit.back().detail.find("citizen@"), std::string::npos);
    // Pending now: no button, and sending again is refused.
    page = b.get("/staff/requests/" + id);
    EXPECT_EQ(page.all("//form[contains(@action,'/resend')]").size(), 0U);
    EXPECT_EQ(b.post(action, {{"csrf", ConsoleBrowser::csrf(page)}}).status(), 409);
}

TEST_F(StaffConsole, AdminsManageUsers) {
    ConsoleBrowser admin(server_);
    ASSERT_EQ(admin.sign_in("admin@example.org", kPassword).status(), 303);
    auto page = admin.get("/staff/admin/users");
    ASSERT_EQ(page.status(), 200);
    EXPECT_EQ(page.all("//table[@class='users']/tbody/tr").size(), 2U);
    const auto csrf = ConsoleBrowser::csrf(page);

    EXPECT_EQ(admin
                  .post("/staff/admin/users",
                        {{"name", "pekka"}, {"role", "staff"}, {"password", "pekka's password"}})
                  .status(),
              403);  // no token
    EXPECT_FALSE(server_.store().find_user("pekka"));
    auto bad =
        admin.post("/staff/admin/users",
                   {{"csrf", csrf}, {"name", "x"}, {"role", "staff"}, {"password", "short"}});
    EXPECT_EQ(bad.status(), 400);
    EXPECT_NE(bad.text("//*[@role='alert']").find("password:"), std::string::npos);
    EXPECT_EQ(admin
                  .post("/staff/admin/users",
                        {{"csrf", csrf},
                         {"name", "pekka"},
                         {"role", "staff"},
                         {"password", "pekka's password"}})
                  .status(),
              303);
    ConsoleBrowser pekka(server_);
    ASSERT_EQ(pekka.sign_in("pekka", "pekka's password").status(), 303);

    EXPECT_EQ(admin
                  .post("/staff/admin/users/pekka/password",
                        {{"csrf", csrf}, {"password", "a new password"}})
                  .status(),
              303);
    EXPECT_EQ(pekka.get("/staff/").status(), 303);  // the old session ended
    ASSERT_EQ(pekka.sign_in("pekka", "a new password").status(), 303);
    EXPECT_EQ(admin.post("/staff/admin/users/pekka/disable", {{"csrf", csrf}}).status(), 303);
    EXPECT_EQ(pekka.get("/staff/").status(), 303);
    EXPECT_TRUE(server_.store().find_user("pekka")->disabled_at);
    EXPECT_EQ(admin.post("/staff/admin/users/admin@example.org/disable", {{"csrf", csrf}}).status(),
              409);
    auto audit = server_.store().search_audit({});
    const auto by_admin = std::count_if(audit.begin(), audit.end(), [](const AuditEntry& a) {
        return a.actor == "admin@example.org" && a.action.rfind("user.", 0) == 0;
    });
    EXPECT_EQ(by_admin, 3);
}

}  // namespace
}  // namespace open311::test

namespace open311::test {
namespace {

TEST_F(StaffConsole, SearchByWordsIdAndPhoto) {
    const auto bench = server_.submit({{"description", "Broken bench near the fountain"}});
    const auto hole = server_.submit(
        {{"description", "Deep hole"}, {"media_url", "https://example.org/hole.jpg"}});
    auto b = staff();
    auto ids = [&](const std::string& query) {
        std::vector<std::string> out;
        // The page outlives the loop: the node set points into its document.
        const auto page = b.get("/staff/requests?state=all&" + query);
        for (auto row : page.all("//table[@class='queue']/tbody/tr/@data-id")) {
            out.emplace_back(row.attribute().value());
        }
        return out;
    };
    EXPECT_EQ(ids("q=BENCH+fountain"), std::vector<std::string>{bench});
    EXPECT_EQ(ids("q=id%3A" + hole), std::vector<std::string>{hole});
    EXPECT_EQ(ids("photo=1"), std::vector<std::string>{hole});
    EXPECT_EQ(ids("detailed_status=RECEIVED&q=bench"), std::vector<std::string>{bench});
    EXPECT_TRUE(ids("detailed_status=PROCESSED").empty());
    auto page = b.get("/staff/requests?state=all&photo=1");
    EXPECT_EQ(page.attr("//input[@name='photo']/@checked"), "checked");
    EXPECT_EQ(page.attr("//tr[@data-id='" + hole + "']//span[@class='photo']/@title"), "Photo");
}

}  // namespace
}  // namespace open311::test

namespace open311::test {
namespace {

class ProxiedConsole : public StaffConsole {
protected:
    ProxiedConsole()
        : StaffConsole([](Config& c) {
              c.trusted_proxies = {"127.0.0.1"};
              c.console.login_failures_per_address = 2;
          }) {}
};

TEST_F(ProxiedConsole, SignInThrottleCountsTheForwardedAddress) {
    auto attempt = [&](const std::string& forwarded, const std::string& password) {
        ConsoleBrowser b(server_);
        auto login = b.get("/staff/login");
        std::string jar = "open311_login=" + b.cookies.at("open311_login");
        return server_.client()
            .request("POST",
                     "/staff/login",
                     form({{"csrf", ConsoleBrowser::csrf(login)},
                           {"username", "maija.moderaattori"},
                           {"password", password}}),
                     {{"Content-Type", "application/x-www-form-urlencoded"},
                      {"Cookie", jar},
                      {"X-Forwarded-For", forwarded}})
            .status;
    };
    EXPECT_EQ(attempt("198.51.100.7", "wrong password 1"), 200);
    EXPECT_EQ(attempt("198.51.100.7", "wrong password 2"), 200);
    EXPECT_EQ(attempt("198.51.100.7", kPassword), 429);  // that address waits
    EXPECT_EQ(attempt("203.0.113.9", kPassword), 303);   // another one behind the proxy does not
}

}  // namespace
}  // namespace open311::test

namespace open311::test {
namespace {

TEST_F(StaffConsole, BulkPublishCountsTheRowsItCouldNotChange) {
    const auto allowed = server_.submit();
    const auto private_one = server_.submit({}, false);  // the sender did not allow publication
    auto b = staff();
    auto r = b.post("/staff/requests/bulk",
                    {{"csrf", b.csrf()},
                     {"back", "/staff/requests?state=all"},
                     {"action", "publish"},
                     {"id", allowed},
                     {"id", private_one}});
    ASSERT_EQ(r.status(), 303);
    const auto location = r.response.header("location");
    EXPECT_NE(location.find("refused=1"), std::string::npos) << location;
    EXPECT_EQ(stored(allowed).state, ModerationState::published);
    EXPECT_EQ(stored(private_one).state, ModerationState::pending);
    auto page = b.get(location);
    EXPECT_NE(page.text("//*[@role='alert']").find("1"), std::string::npos);
}

}  // namespace
}  // namespace open311::test

namespace open311::test {
namespace {

TEST_F(StaffConsole, UpdatesBulkRejectAndUnknownIdsAreCounted) {
    const auto id = server_.submit_published();
    auto posted =
        server_.client().post_form(server_.base() + "/servicerequestupdates.json",
                                   form({{"api_key", server_.client_key},
                                         {"service_request_id", id},
                                         {"update_id", "fms-2"},
                                         {"updated_datetime", "2026-05-01T10:00:00+03:00"},
                                         {"status", "OPEN"},
                                         {"description", "Spam text"}}));
    ASSERT_EQ(posted.status, 200) << posted.body;
    auto b = staff();
    auto page = b.get("/staff/updates");
    const std::string update_id = page.attr("//table[@class='queue']/tbody/tr/@data-id");
    ASSERT_FALSE(update_id.empty());
    auto r = b.post("/staff/updates/bulk",
                    {{"csrf", ConsoleBrowser::csrf(page)},
                     {"action", "reject"},
                     {"id", update_id},
                     {"id", "no-such-update"}});
    ASSERT_EQ(r.status(), 303);
    EXPECT_NE(r.response.header("location").find("refused=1"), std::string::npos);
    EXPECT_EQ(server_.store().find_update(update_id)->state, ModerationState::rejected);
    auto after = b.get(r.response.header("location"));
    EXPECT_FALSE(after.text("//*[@role='alert']").empty());
    auto feed = server_.client().get(server_.base() + "/servicerequestupdates.json");
    EXPECT_EQ(feed.body.find("Spam text"), std::string::npos);
}

}  // namespace
}  // namespace open311::test
