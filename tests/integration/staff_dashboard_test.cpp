// The staff console's dashboard (issue 14, page 4): counts per state, per top-level service
// and per week as SVG drawn on the server, medians and the pending backlog.
#include "support/console_browser.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

namespace open311::test {
namespace {

TEST(StaffDashboard, CountsAndChartsAreDrawnOnTheServer) {
    TestServer server;
    create_console_user(server, "maija.moderaattori", Role::staff);
    server.submit();
    server.submit({{"service_code", "2806.10.2.2"}});
    const auto published = server.submit_published();
    ConsoleBrowser b(server);
    ASSERT_EQ(b.sign_in("maija.moderaattori", "a long password!").status(), 303);
    auto page = b.get("/staff/dashboard");
    ASSERT_EQ(page.status(), 200);
    EXPECT_EQ(page.text("//table[@class='counts']//tr[@data-state='pending']/td"), "2");
    EXPECT_EQ(page.text("//table[@class='counts']//tr[@data-state='published']/td"), "1");
    EXPECT_EQ(page.text("//table[@class='counts']//tr[@data-state='rejected']/td"), "0");
    EXPECT_EQ(page.text("//dd[@id='pending-count']"), "2");
    EXPECT_NE(page.text("//dd[@id='oldest-pending']"), "–");
    EXPECT_NE(page.text("//dd[@id='median-publish']"), "–");  // one publication so far
    EXPECT_EQ(page.text("//dd[@id='median-close']"), "–");    // nothing closed yet

    // Two SVG charts of bars; the week chart has 12 weeks, this week (last) holding all 3.
    EXPECT_EQ(page.all("//*[local-name()='svg']").size(), 2U);
    auto weeks = page.all("//tr[@data-week]");
    ASSERT_EQ(weeks.size(), 12U);
    EXPECT_EQ(std::string(weeks[11].node().child("td").text().get()), "3");
    EXPECT_EQ(std::string(weeks[0].node().child("td").text().get()), "0");
    // Per top-level service: 2806 holds the rat sighting (2806.10.2.2).
    auto urban = page.all("//table[contains(@class,'counts')]//tr[th='Urban Environment']/td");
    ASSERT_EQ(urban.size(), 1U);
    EXPECT_EQ(std::string(urban[0].node().text().get()), "1");
    // No script was needed: the page has no inline script either.
    for (auto script : page.all("//script")) {
        EXPECT_TRUE(std::string(script.node().text().get()).empty());
    }
    (void)published;
}

}  // namespace
}  // namespace open311::test
