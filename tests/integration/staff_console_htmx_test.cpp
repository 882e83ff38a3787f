// The staff console's partial updates (issue 14: "small JavaScript improves it"): a form
// posted by htmx (HX-Request: true) is answered with the part of the page it changes, from
// the same template partial as the full page, with the CSRF check and the conflict message
// as without JavaScript. Fragments are parsed as XHTML and checked by structure.
#include "support/console_browser.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace open311::test {
namespace {

class ConsolePartials : public ::testing::Test {
protected:
    ConsolePartials() { create_console_user(server_, "maija.moderaattori", Role::staff); }

    /// A browser signed in as the staff user, sending HX-Request from now on.
    ConsoleBrowser htmx_staff() {
        ConsoleBrowser b(server_);
        EXPECT_EQ(b.sign_in("maija.moderaattori", "a long password!").status(), 303);
        b.htmx = true;
        return b;
    }

    ServiceRequest stored(const std::string& id) { return *server_.store().find_request(id); }

    /// A fragment is a part of the page: no layout around it, the console's headers on it.
    static void expect_fragment(const ConsolePage& page) {
        EXPECT_EQ(page.all("//html").size(), 0U) << page.response.body;
        EXPECT_EQ(page.all("//header").size(), 0U);
        EXPECT_EQ(page.all("//script").size(), 0U);
        EXPECT_TRUE(page.response.header("location").empty());
        EXPECT_EQ(page.response.header("content-type"), "text/html; charset=utf-8");
        const auto csp = page.response.header("content-security-policy");
        EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
        EXPECT_EQ(page.response.header("cache-control"), "no-store");
    }

    TestServer server_;
};

TEST_F(ConsolePartials, PagesCarryTheSamePartsAndFormsPostTheirTokenThroughHtmx) {
    const auto id = server_.submit();
    ConsoleBrowser b(server_);
    ASSERT_EQ(b.sign_in("maija.moderaattori", "a long password!").status(), 303);
    auto queue = b.get("/staff/requests?state=pending");
    ASSERT_EQ(queue.status(), 200);
    // The full page holds the parts an htmx answer replaces, marked for no out-of-band swap.
    EXPECT_EQ(queue.all("//div[@id='queue-results']//table[@class='queue']/tbody/tr").size(), 1U);
    EXPECT_EQ(queue.all("//nav[@id='queue-tabs']").size(), 1U);
    EXPECT_EQ(queue.all("//nav[@id='queue-tabs' and @hx-swap-oob]").size(), 0U);
    // htmx is configured from a meta tag: no eval, no inline style, no page copies kept.
    const auto config = nlohmann::json::parse(queue.attr("//meta[@name='htmx-config']/@content"));
    EXPECT_EQ(config["includeIndicatorStyles"], false);
    EXPECT_EQ(config["allowEval"], false);
    EXPECT_EQ(config["historyCacheSize"], 0);

    auto page = b.get("/staff/requests/" + id);
    auto updates = b.get("/staff/updates");
    for (const auto* p : {&queue, &page, &updates}) {
        // Every htmx form posts where the plain form does, and its hidden token goes with it.
        for (auto form : p->all("//form[@hx-post]")) {
            const auto node = form.node();
            EXPECT_STREQ(node.attribute("hx-post").value(), node.attribute("action").value());
            EXPECT_TRUE(node.select_node("input[@type='hidden' and @name='csrf']"));
        }
        // No inline handler an htmx attribute would evaluate.
        EXPECT_EQ(p->all("//@*[starts-with(name(), 'hx-on')]").size(), 0U);
    }
    EXPECT_GE(page.all("//form[@hx-post]").size(), 3U);  // publish, reject, status
    EXPECT_EQ(page.all("//div[@id='request-view']").size(), 1U);
}

TEST_F(ConsolePartials, QueuePublishAnswersTheRowsAndTheCountsPerState) {
    const auto first = server_.submit();
    const auto second = server_.submit();
    auto b = htmx_staff();
    auto queue = b.get("/staff/requests?state=pending");
    const auto csrf = b.csrf();
    auto answer = b.post("/staff/requests/bulk",
                         {{"csrf", csrf},
                          {"back", "/staff/requests?state=pending&page=1"},
                          {"action", "publish"},
                          {"id", first}});
    ASSERT_EQ(answer.status(), 200) << answer.response.body;
    expect_fragment(answer);
    EXPECT_EQ(stored(first).state, ModerationState::published);
    EXPECT_EQ(server_.store().list_request_audit(first).back().actor, "maija.moderaattori");
    // The rows of the same queue, without the published one, and the message.
    auto rows = answer.all("/div[@id='queue-results']//table[@class='queue']/tbody/tr");
    ASSERT_EQ(rows.size(), 1U);
    EXPECT_STREQ(rows[0].node().attribute("data-id").value(), second.c_str());
    EXPECT_FALSE(answer.text("/div[@id='queue-results']//*[@role='status']").empty());
    EXPECT_EQ(answer.attr("//input[@name='back']/@value"), "/staff/requests?state=pending&page=1");
    // The counts, swapped out of band.
    EXPECT_EQ(answer.attr("/nav[@id='queue-tabs']/@hx-swap-oob"), "true");
    EXPECT_EQ(answer.text("/nav[@id='queue-tabs']//span[@data-state='pending']"), "1");
    EXPECT_EQ(answer.text("/nav[@id='queue-tabs']//span[@data-state='published']"), "1");

    // A bulk reject without its reason: the same rows with the message, nothing changed.
    auto refused = b.post("/staff/requests/bulk",
                          {{"csrf", csrf},
                           {"back", "/staff/requests?state=pending"},
                           {"action", "reject"},
                           {"id", second}});
    ASSERT_EQ(refused.status(), 200);
    EXPECT_FALSE(refused.text("/div[@id='queue-results']//*[@role='alert']").empty());
    EXPECT_EQ(stored(second).state, ModerationState::pending);
    (void)queue;
}

TEST_F(ConsolePartials, HtmxPostsWithoutTheirTokenChangeNothing) {
    const auto id = server_.submit();
    auto b = htmx_staff();
    EXPECT_EQ(b.post("/staff/requests/bulk", {{"action", "publish"}, {"id", id}}).status(), 403);
    EXPECT_EQ(b.post("/staff/requests/" + id + "/publish", {{"csrf", "forged"}}).status(), 403);
    EXPECT_EQ(stored(id).state, ModerationState::pending);
    EXPECT_EQ(stored(id).version, 1);
}

TEST_F(ConsolePartials, RequestActionsAnswerTheRequestViewAndConflictsShowTheCurrentState) {
    const auto id = server_.submit();
    auto b = htmx_staff();
    auto page = b.get("/staff/requests/" + id);
    ASSERT_EQ(page.status(), 200);
    expect_fragment(page);  // a GET with HX-Request gets the view too
    const auto csrf = ConsoleBrowser::csrf(page);
    const auto version =
        page.attr("//form[contains(@action,'/status')]//input[@name='version']/@value");

    auto no_reason = b.post("/staff/requests/" + id + "/reject", {{"csrf", csrf}});
    EXPECT_EQ(no_reason.status(), 400);
    expect_fragment(no_reason);
    EXPECT_FALSE(no_reason.text("/div[@id='request-view']//*[@role='alert']").empty());

    auto published = b.post("/staff/requests/" + id + "/publish", {{"csrf", csrf}});
    ASSERT_EQ(published.status(), 200) << published.response.body;
    expect_fragment(published);
    EXPECT_EQ(stored(id).state, ModerationState::published);
    EXPECT_EQ(published.text("/div[@id='request-view']//strong[@id='state']"), "Published");
    EXPECT_FALSE(published.text("/div[@id='request-view']//*[@role='status']").empty());
    EXPECT_EQ(published.all("//button[text()='Unpublish']").size(), 1U);
    EXPECT_EQ(published.all("//button[text()='Publish']").size(), 0U);
    // The status form in the answer holds the new version, so the next save applies.
    const auto fresh =
        published.attr("//form[contains(@action,'/status')]//input[@name='version']/@value");
    EXPECT_EQ(fresh, std::to_string(stored(id).version));
    EXPECT_EQ(published.all("//ol[@class='timeline']/li").size(),
              page.all("//ol[@class='timeline']/li").size() + 1);

    auto saved = b.post(
        "/staff/requests/" + id + "/status",
        {{"csrf", csrf}, {"version", fresh}, {"status", "closed"}, {"status_notes", "Fixed."}});
    ASSERT_EQ(saved.status(), 200) << saved.response.body;
    EXPECT_EQ(saved.text("//dd[@id='f-status']"), "Closed");
    EXPECT_EQ(stored(id).status, "closed");

    // The version read before publishing is stale now: a conflict, the current state shown.
    auto stale = b.post("/staff/requests/" + id + "/status",
                        {{"csrf", csrf}, {"version", version}, {"status", "open"}});
    EXPECT_EQ(stale.status(), 409);
    expect_fragment(stale);
    EXPECT_FALSE(stale.text("/div[@id='request-view']//*[@role='alert']").empty());
    EXPECT_EQ(stale.text("//dd[@id='f-status']"), "Closed");
    EXPECT_EQ(stored(id).status, "closed");
}

TEST_F(ConsolePartials, CitizenUpdatesAnswerTheListWithoutTheHandledOne) {
    const auto id = server_.submit_published();
    for (const char* update : {"fms-1", "fms-2"}) {
        auto posted =
            server_.client().post_form(server_.base() + "/servicerequestupdates.json",
                                       form({{"api_key", server_.client_key},
                                             {"service_request_id", id},
                                             {"update_id", update},
                                             {"updated_datetime", "2026-05-01T10:00:00+03:00"},
                                             {"status", "OPEN"},
                                             {"description", "Still broken."}}));
        ASSERT_EQ(posted.status, 200) << posted.body;
    }
    auto b = htmx_staff();
    auto list = b.get("/staff/updates");
    auto rows = list.all("//table[@class='queue']/tbody/tr");
    ASSERT_EQ(rows.size(), 2U);
    const std::string handled = rows[0].node().attribute("data-id").value();
    const std::string other = rows[1].node().attribute("data-id").value();
    auto answer = b.post("/staff/updates/bulk", {{"csrf", b.csrf()}, {"reject", handled}});
    ASSERT_EQ(answer.status(), 200) << answer.response.body;
    expect_fragment(answer);
    EXPECT_EQ(server_.store().find_update(handled)->state, ModerationState::rejected);
    auto left = answer.all("/div[@id='updates-view']//table[@class='queue']/tbody/tr");
    ASSERT_EQ(left.size(), 1U);
    EXPECT_STREQ(left[0].node().attribute("data-id").value(), other.c_str());
    EXPECT_FALSE(answer.text("/div[@id='updates-view']//*[@role='status']").empty());
}

}  // namespace
}  // namespace open311::test
