// The console's admin pages over loopback (issue 14, page 5): the service catalogue (names and
// descriptions per language, activate and deactivate, attributes) and API keys (created with
// the secret shown once, expiry, revoke, renew, usage). Roles, CSRF and the audit trail's
// actor are checked on each; pages are parsed as XHTML.
#include "support/console_browser.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace open311::test {
namespace {

constexpr const char* kConsolePassword = "a long password!";
constexpr const char* kConsoleAdmin = "admin@example.org";

class StaffConsoleAdmin : public ::testing::Test {
protected:
    StaffConsoleAdmin() {
        create_console_user(server_, "maija.moderaattori", Role::staff);
        create_console_user(server_, kConsoleAdmin, Role::admin);
    }

    ConsoleBrowser signed_in(const std::string& name) {
        ConsoleBrowser b(server_);
        EXPECT_EQ(b.sign_in(name, kConsolePassword).status(), 303);
        return b;
    }

    /// The audit lines of `prefix` ("service.", "key.") written by `actor`.
    std::vector<AuditEntry> audit_by(const std::string& actor, const std::string& prefix) {
        AuditFilter filter;
        filter.actor = actor;
        filter.action = prefix;
        return server_.store().search_audit(filter);
    }

    std::optional<ApiKey> key(const std::string& name) {
        for (auto& k : server_.store().list_keys()) {
            if (k.name == name) {
                return k;
            }
        }
        return std::nullopt;
    }

    TestServer server_;
};

TEST_F(StaffConsoleAdmin, StaffGets403AndTheNavigationHidesAdminPages) {
    auto staff = signed_in("maija.moderaattori");
    const auto csrf = staff.csrf();
    for (const char* page :
         {"/staff/admin/services", "/staff/admin/services/171", "/staff/admin/keys"}) {
        EXPECT_EQ(staff.get(page).status(), 403) << page;
    }
    EXPECT_EQ(staff.post("/staff/admin/services/171/deactivate", {{"csrf", csrf}}).status(), 403);
    EXPECT_EQ(staff.post("/staff/admin/keys", {{"csrf", csrf}, {"name", "x"}, {"role", "admin"}})
                  .status(),
              403);
    EXPECT_EQ(staff.post("/staff/admin/keys/test-client/revoke", {{"csrf", csrf}}).status(), 403);
    EXPECT_TRUE(server_.store().find_service("171")->active);
    EXPECT_FALSE(key("x"));
    EXPECT_FALSE(key("test-client")->revoked_at);
    auto queue = staff.get("/staff/");
    EXPECT_EQ(queue.all("//nav//a[@href='/staff/admin/keys']").size(), 0U);

    auto admin = signed_in(kConsoleAdmin);
    auto admin_queue = admin.get("/staff/");
    EXPECT_EQ(admin_queue.all("//nav//a[@href='/staff/admin/keys']").size(), 1U);
    EXPECT_EQ(admin_queue.all("//nav//a[@href='/staff/admin/services']").size(), 1U);
}

TEST_F(StaffConsoleAdmin, CatalogueNamesDescriptionsAndAttributesPerLanguage) {
    auto admin = signed_in(kConsoleAdmin);
    auto list = admin.get("/staff/admin/services");
    ASSERT_EQ(list.status(), 200);
    EXPECT_EQ(list.all("//table[@class='services']/tbody/tr").size(),
              server_.store().catalogue_snapshot()->size());
    EXPECT_EQ(list.attr("//tr[@data-code='171']//a/@href"), "/staff/admin/services/171");

    auto page = admin.get("/staff/admin/services/171");
    ASSERT_EQ(page.status(), 200);
    const auto csrf = ConsoleBrowser::csrf(page);
    const auto before = *server_.store().find_service("171");
    EXPECT_EQ(page.attr("//input[@name='name.fi']/@value"), before.translations.at("fi").name);
    ASSERT_EQ(page.all("//textarea[@name='attributes']").size(), 1U);

    // Without the token: 403 and nothing changed.
    const std::vector<std::pair<std::string, std::string>> edit = {
        {"name.fi", "Katuvauriot"},
        {"description.fi", "Kuopat ja halkeamat"},
        {"name.en", "Street damage"},
        {"description.en", ""},
        {"name.sv", "Gatuskador"},
        {"description.sv", ""},
        {"attributes",
         R"j([{"code":"DEPTH","datatype":"number","required":false,"order":1,)j"
         R"j("description":{"fi":"Syvyys (cm)","en":"Depth (cm)"}}])j"}};
    EXPECT_EQ(admin.post("/staff/admin/services/171", edit).status(), 403);
    EXPECT_EQ(server_.store().find_service("171")->translations.at("fi").name,
              before.translations.at("fi").name);

    auto with_token = edit;
    with_token.emplace_back("csrf", csrf);
    auto saved = admin.post("/staff/admin/services/171", with_token);
    ASSERT_EQ(saved.status(), 303) << saved.response.body;
    const auto after = *server_.store().find_service("171");
    EXPECT_EQ(after.translations.at("fi").name, "Katuvauriot");
    EXPECT_EQ(after.translations.at("fi").description, "Kuopat ja halkeamat");
    EXPECT_EQ(after.translations.at("sv").name, "Gatuskador");
    ASSERT_EQ(after.attributes.size(), 1U);
    EXPECT_EQ(after.attributes[0].code, "DEPTH");
    // The public API sees the change at once.
    auto definition = server_.client().get(server_.base() + "/services/171.json");
    ASSERT_EQ(definition.status, 200);
    EXPECT_EQ(definition.json()["attributes"][0]["code"], "DEPTH");

    // A broken attribute list is refused with the field named, and nothing changes.
    auto broken = edit;
    broken.back().second = R"([{"code":"X","datatype":"colour"}])";
    broken.emplace_back("csrf", csrf);
    auto refused = admin.post("/staff/admin/services/171", broken);
    EXPECT_EQ(refused.status(), 400);
    EXPECT_EQ(refused.text("//*[@role='alert']").rfind("attributes[0].datatype", 0), 0U)
        << refused.text("//*[@role='alert']");
    EXPECT_EQ(server_.store().find_service("171")->attributes[0].code, "DEPTH");

    const auto lines = audit_by(kConsoleAdmin, "service.");
    ASSERT_EQ(lines.size(), 1U);
    EXPECT_EQ(lines[0].action, "service.update");
    EXPECT_EQ(lines[0].subject, "171");
}

TEST_F(StaffConsoleAdmin, DeactivateAndActivateAService) {
    auto admin = signed_in(kConsoleAdmin);
    auto page = admin.get("/staff/admin/services/171");
    const auto csrf = ConsoleBrowser::csrf(page);
    EXPECT_EQ(admin.post("/staff/admin/services/171/deactivate", {}).status(), 403);
    EXPECT_TRUE(server_.store().find_service("171")->active);

    EXPECT_EQ(admin.post("/staff/admin/services/171/deactivate", {{"csrf", csrf}}).status(), 303);
    EXPECT_FALSE(server_.store().find_service("171")->active);
    auto shown = admin.get("/staff/admin/services/171?done=deactivate");
    EXPECT_EQ(shown.all("//form[@action='/staff/admin/services/171/activate']").size(), 1U);
    // An inactive service takes no new requests.
    auto post = server_.client().post_form(server_.base() + "/requests.json",
                                           "api_key=" + server_.client_key +
                                               "&service_code=171&lat=60.17&long=24.94"
                                               "&description=Kuoppa");
    EXPECT_NE(post.status, 200);

    EXPECT_EQ(admin.post("/staff/admin/services/171/activate", {{"csrf", csrf}}).status(), 303);
    EXPECT_TRUE(server_.store().find_service("171")->active);
    EXPECT_EQ(admin.get("/staff/admin/services/nope").status(), 404);

    auto lines = audit_by(kConsoleAdmin, "service.");
    std::vector<std::string> actions;
    for (const auto& line : lines) {
        actions.push_back(line.action);
    }
    std::sort(actions.begin(), actions.end());
    EXPECT_EQ(actions, (std::vector<std::string>{"service.deactivate", "service.update"}));
}

TEST_F(StaffConsoleAdmin, CreateAServiceWithNamesPerLanguageAndAGroup) {
    auto admin = signed_in(kConsoleAdmin);
    auto list = admin.get("/staff/admin/services");
    ASSERT_EQ(
        list.all("//form[@action='/staff/admin/services']//input[@name='service_code']").size(),
        1U);
    const auto csrf = ConsoleBrowser::csrf(list);
    const std::vector<std::pair<std::string, std::string>> fields = {
        {"service_code", "9901"},
        {"name.en", "Graffiti"},
        {"description.en", "Paint on walls"},
        {"group.en", "Streets"},
        {"name.fi", "Töhryt"},
        {"group.fi", "Kadut"},
        {"name.sv", ""}};
    EXPECT_EQ(admin.post("/staff/admin/services", fields).status(), 403);  // no token
    EXPECT_FALSE(server_.store().find_service("9901"));
    auto with_token = fields;
    with_token.emplace_back("csrf", csrf);
    auto created = admin.post("/staff/admin/services", with_token);
    ASSERT_EQ(created.status(), 303) << created.response.body;
    EXPECT_EQ(created.response.header("location"), "/staff/admin/services/9901?done=create");
    const auto service = server_.store().find_service("9901");
    ASSERT_TRUE(service);
    EXPECT_TRUE(service->active);
    EXPECT_EQ(service->translation("fi", "en").name, "Töhryt");
    EXPECT_EQ(service->translations.count("sv"), 0U);  // a language left empty is not offered
    // The public catalogue lists it with its group, in each language.
    auto english = server_.client().get(server_.base() + "/services.json?locale=en").json();
    bool listed = false;
    for (const auto& s : english) {
        if (s["service_code"] == "9901") {
            listed = true;
            EXPECT_EQ(s["service_name"], "Graffiti");
            EXPECT_EQ(s["group"], "Streets");
        }
    }
    EXPECT_TRUE(listed) << english.dump();

    // The same code again is a conflict, a code missing a refusal naming its field; the form
    // keeps what was typed.
    auto again = admin.post("/staff/admin/services", with_token);
    EXPECT_EQ(again.status(), 409);
    EXPECT_FALSE(again.text("//*[@role='alert']").empty());
    EXPECT_EQ(again.attr("//input[@name='name.fi']/@value"), "Töhryt");
    auto nameless = admin.post("/staff/admin/services",
                               {{"csrf", csrf}, {"service_code", ""}, {"name.en", "Nothing"}});
    EXPECT_EQ(nameless.status(), 400);
    EXPECT_EQ(nameless.text("//*[@role='alert']").rfind("service_code", 0), 0U)
        << nameless.text("//*[@role='alert']");

    std::vector<std::string> actions;
    for (const auto& line : audit_by(kConsoleAdmin, "service.")) {
        actions.push_back(line.action + " " + line.subject);
    }
    EXPECT_EQ(actions, (std::vector<std::string>{"service.create 9901"}));
    // Staff users cannot create one.
    auto staff = signed_in("maija.moderaattori");
    EXPECT_EQ(staff.post("/staff/admin/services", {{"csrf", staff.csrf()}, {"service_code", "x"}})
                  .status(),
              403);
}

TEST_F(StaffConsoleAdmin, KeysAreCreatedWithTheSecretShownOnceRenewedAndRevoked) {
    server_.submit();  // usage of test-client
    auto admin = signed_in(kConsoleAdmin);
    auto page = admin.get("/staff/admin/keys");
    ASSERT_EQ(page.status(), 200);
    const auto csrf = ConsoleBrowser::csrf(page);
    EXPECT_EQ(page.text("//tr[@data-name='test-client']/td[7]"), "1");       // requests created
    EXPECT_EQ(page.all("//tr[@data-name='test-client']//form").size(), 2U);  // revoke, renew
    EXPECT_EQ(page.all("//*[@id='secret']").size(), 0U);

    const std::vector<std::pair<std::string, std::string>> create = {
        {"name", "kaupunki-app"}, {"role", "client"}, {"expires", "2099-12-31"}};
    EXPECT_EQ(admin.post("/staff/admin/keys", create).status(), 403);
    EXPECT_FALSE(key("kaupunki-app"));

    auto with_token = create;
    with_token.emplace_back("csrf", csrf);
    auto created = admin.post("/staff/admin/keys", with_token);
    ASSERT_EQ(created.status(), 200) << created.response.body;
    const auto secret = created.text("//*[@id='secret']");
    ASSERT_EQ(secret.rfind("o311_", 0), 0U) << secret;
    const auto stored = key("kaupunki-app");
    ASSERT_TRUE(stored);
    EXPECT_EQ(stored->role, Role::client);
    ASSERT_TRUE(stored->expires_at);
    EXPECT_EQ(*stored->expires_at, 4102444800);  // 2100-01-01T00:00:00Z: through 2099-12-31
    // The secret works, and it is not shown again.
    auto post = server_.client().post_form(server_.base() + "/requests.json",
                                           "api_key=" + secret +
                                               "&service_code=171&lat=60.17&long=24.94"
                                               "&description=Kuoppa");
    EXPECT_EQ(post.status, 200) << post.body;
    auto again = admin.get("/staff/admin/keys");
    EXPECT_EQ(again.all("//*[@id='secret']").size(), 0U);
    EXPECT_EQ(again.response.body.find(secret), std::string::npos);
    EXPECT_EQ(again.attr("//tr[@data-name='kaupunki-app']/@data-state"), "active");

    // Refusals name the field: a taken name, a date in the past.
    auto taken = admin.post("/staff/admin/keys", with_token);
    EXPECT_EQ(taken.status(), 409);
    auto past = admin.post(
        "/staff/admin/keys",
        {{"csrf", csrf}, {"name", "vanha"}, {"role", "client"}, {"expires", "2001-01-01"}});
    EXPECT_EQ(past.status(), 400);
    EXPECT_EQ(past.text("//*[@role='alert']").rfind("expires:", 0), 0U);
    EXPECT_FALSE(key("vanha"));

    // Renew: a new key with the old one's role; the old one still works until revoked.
    auto renewed = admin.post("/staff/admin/keys/kaupunki-app/renew",
                              {{"csrf", csrf}, {"name", "kaupunki-app-2100"}});
    ASSERT_EQ(renewed.status(), 200) << renewed.response.body;
    EXPECT_EQ(renewed.text("//*[@id='secret']").rfind("o311_", 0), 0U);
    EXPECT_NE(renewed.text("//*[@id='secret']"), secret);
    EXPECT_EQ(key("kaupunki-app-2100")->role, Role::client);
    EXPECT_FALSE(key("kaupunki-app")->revoked_at);

    EXPECT_EQ(admin.post("/staff/admin/keys/kaupunki-app/revoke", {}).status(), 403);
    EXPECT_FALSE(key("kaupunki-app")->revoked_at);
    EXPECT_EQ(admin.post("/staff/admin/keys/kaupunki-app/revoke", {{"csrf", csrf}}).status(), 303);
    EXPECT_TRUE(key("kaupunki-app")->revoked_at);
    auto denied = server_.client().post_form(server_.base() + "/requests.json",
                                             "api_key=" + secret +
                                                 "&service_code=171&lat=60.17&long=24.94"
                                                 "&description=Kuoppa");
    EXPECT_EQ(denied.status, 403);
    auto revoked = admin.get("/staff/admin/keys?done=revoke");
    EXPECT_EQ(revoked.attr("//tr[@data-name='kaupunki-app']/@data-state"), "revoked");
    EXPECT_EQ(revoked.all("//tr[@data-name='kaupunki-app']//form").size(), 0U);
    EXPECT_EQ(admin
                  .post("/staff/admin/keys/kaupunki-app/renew",
                        {{"csrf", csrf}, {"name", "kaupunki-app-3"}})
                  .status(),
              409);  // a revoked key is not renewed
    EXPECT_EQ(
        admin.post("/staff/admin/keys/nope/renew", {{"csrf", csrf}, {"name", "x-2"}}).status(),
        404);

    // Every change names the user; no audit line holds the secret.
    std::vector<std::string> actions;
    for (const auto& line : audit_by(kConsoleAdmin, "key.")) {
        actions.push_back(line.action + " " + line.subject);
        EXPECT_EQ(line.detail.find(secret), std::string::npos);
        // A renewal's line names the key it renews; a plain creation names none.
        const auto after = nlohmann::json::parse(line.detail).value("after", nlohmann::json{});
        if (line.subject == "kaupunki-app-2100") {
            EXPECT_EQ(after.value("renews", ""), "kaupunki-app") << line.detail;
        } else {
            EXPECT_FALSE(after.is_object() && after.contains("renews")) << line.detail;
        }
    }
    std::sort(actions.begin(), actions.end());
    EXPECT_EQ(
        actions,
        (std::vector<std::string>{
            "key.create kaupunki-app", "key.create kaupunki-app-2100", "key.revoke kaupunki-app"}));
}

}  // namespace
}  // namespace open311::test
