// The initiatives API over loopback (issue 16, docs/initiatives.md): exact documents, orders,
// paging, errors, JSONP, HTTP caching, CORS and privacy.
#include "initiatives/changes.hpp"
#include "initiatives/demo.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace open311::test {
namespace {

constexpr const char* kApi = "https://aloitteet.example.fi/api/v1";

void enable(Config& c) {
    c.initiatives.enabled = true;
    c.initiatives.api_base_url = "https://aloitteet.example.fi";
    c.initiatives.active_municipalities = {91, 837};
}

/// A server with the initiatives API on and the demo initiatives loaded.
class InitiativesApi : public ::testing::Test {
protected:
    InitiativesApi() : server_(enable) { initiatives::load_demo_initiatives(server_.store()); }

    Response get(const std::string& target, const std::map<std::string, std::string>& h = {}) {
        return server_.client().get(target, h);
    }
    std::vector<std::int64_t> ids(const std::string& query) {
        auto r = get("/api/v1/initiatives?" + query);
        EXPECT_EQ(r.status, 200) << r.body;
        std::vector<std::int64_t> out;
        for (const auto& item : r.json()) {
            const std::string id = item["id"];
            out.push_back(std::stoll(id.substr(id.rfind('/') + 1)));
        }
        return out;
    }
    /// Adds a public COLLABORATIVE initiative of Helsinki.
    void add(std::int64_t id, const char* published, std::optional<std::string> sent, int total) {
        Initiative i;
        i.id = id;
        i.name = "Initiative " + std::to_string(id);
        i.type = InitiativeType::collaborative;
        i.municipality = 91;
        i.state = InitiativeState::published;
        i.publish_date = published;
        i.sent_date = std::move(sent);
        i.participants.total = total;
        ASSERT_TRUE(initiatives::save_initiative(server_.store(), i, "test").ok());
    }
    /// The parameters named by a 400 answer's errors.
    static std::vector<std::string> refused(const Response& r) {
        EXPECT_EQ(r.status, 400) << r.body;
        EXPECT_EQ(r.header("content-type"), kJsonType);
        std::vector<std::string> out;
        const auto body = r.json();
        for (const auto& e : body["errors"]) {
            EXPECT_EQ(e["code"], 400);
            EXPECT_TRUE(e["description"].is_string());
            out.push_back(e["parameter"]);
        }
        return out;
    }

    TestServer server_;
};

TEST_F(InitiativesApi, TheListIsExact) {
    auto r = get("/api/v1/initiatives");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.header("content-type"), kJsonType);
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    const std::string item6 =
        R"({"collaborative":true,"id":"https://aloitteet.example.fi/api/v1/initiatives/6",)"
        R"("municipality":{"active":false,"id":"https://aloitteet.example.fi/api/v1/municipalities/853",)"
        R"("nameFi":"Turku","nameSv":"Åbo"},"name":"Fler cykelställ vid Åbo domkyrka",)"
        R"("participantCount":12,"publishDate":"2026-05-05","sentTime":null,"type":"COLLABORATIVE",)"
        R"("url":{"fi":"https://www.kuntalaisaloite.fi/fi/aloite/6","sv":"https://www.kuntalaisaloite.fi/sv/initiativ/6"}})";
    // Byte for byte: keys in alphabetical order, null written, UTF-8 as it is.
    EXPECT_EQ(r.body.substr(0, item6.size() + 2), "[" + item6 + ",") << r.body;
    const auto list = r.json();
    ASSERT_EQ(list.size(), 4U);  // the draft (4) and the one being corrected (5) are not public
    EXPECT_EQ(list[1], nlohmann::json::parse(R"({
        "collaborative": true, "id": "https://aloitteet.example.fi/api/v1/initiatives/3",
        "municipality": {"active": true, "id": "https://aloitteet.example.fi/api/v1/municipalities/837",
                         "nameFi": "Tampere", "nameSv": "Tammerfors"},
        "name": "Maksuton joukkoliikenne nuorille", "participantCount": 2750,
        "publishDate": "2025-11-20", "sentTime": "2026-04-10", "type": "COLLABORATIVE_CITIZEN",
        "url": {"fi": "https://www.kuntalaisaloite.fi/fi/aloite/3",
                "sv": "https://www.kuntalaisaloite.fi/sv/initiativ/3"}})"));
    EXPECT_EQ(list[2]["type"], "SINGLE");
    EXPECT_EQ(list[2]["collaborative"], false);
    EXPECT_EQ(list[2]["participantCount"], 0);
}

TEST_F(InitiativesApi, TheDetailsAreExact) {
    auto r = get("/api/v1/initiatives/1");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("content-type"), kJsonType);
    const std::string helsinki =
        R"({"active":true,"id":"https://aloitteet.example.fi/api/v1/municipalities/91",)"
        R"("nameFi":"Helsinki","nameSv":"Helsingfors"})";
    EXPECT_EQ(r.body,
              R"({"authors":{"privateNames":1,"publicAuthors":[{"municipality":)" + helsinki +
                  R"(,"name":"Maija Meikäläinen"}],"publicNames":1},"collaborative":true,)"
                  R"("id":"https://aloitteet.example.fi/api/v1/initiatives/1","municipality":)" +
                  helsinki +
                  R"(,"name":"Lisää penkkejä Esplanadin puistoon","participantCount":)"
                  R"({"externalNames":15,"privateNames":40,"publicNames":80,"total":135},)"
                  R"("proposal":"Ehdotamme, että Esplanadin puistoon lisätään kymmenen penkkiä.",)"
                  R"("publishDate":"2026-03-01","sentTime":null,"type":"COLLABORATIVE",)"
                  R"("url":{"fi":"https://www.kuntalaisaloite.fi/fi/aloite/1",)"
                  R"("sv":"https://www.kuntalaisaloite.fi/sv/initiativ/1"}})");
}

TEST_F(InitiativesApi, CountingRulesForCollaborativeAndSingleInitiatives) {
    // SINGLE (2): nobody takes part by name; the total still matches the list.
    auto single = get("/api/v1/initiatives/2").json();
    EXPECT_EQ(
        single["participantCount"],
        nlohmann::json::parse(R"({"externalNames":0,"privateNames":0,"publicNames":0,"total":0})"));
    EXPECT_EQ(single["sentTime"], "2026-02-01");
    // COLLABORATIVE_CITIZEN (3): total = participants + gathered elsewhere = the list's count.
    auto citizen = get("/api/v1/initiatives/3").json();
    EXPECT_EQ(citizen["participantCount"],
              nlohmann::json::parse(
                  R"({"externalNames":350,"privateNames":900,"publicNames":1500,"total":2750})"));
    EXPECT_EQ(citizen["authors"]["publicNames"], 2);
    EXPECT_EQ(citizen["authors"]["publicAuthors"][1],
              nlohmann::json::parse(R"({"municipality":null,"name":"Erik Lindqvist"})"));
    for (const auto& item : get("/api/v1/initiatives").json()) {
        const std::string id = item["id"];
        auto details = get(id.substr(std::string(kApi).size() - 7)).json();
        EXPECT_EQ(details["participantCount"]["total"], item["participantCount"]) << id;
    }
}

TEST_F(InitiativesApi, MunicipalitiesInFinnishOrder) {
    auto r = get("/api/v1/municipalities");
    ASSERT_EQ(r.status, 200);
    const auto list = r.json();
    ASSERT_EQ(list.size(), 309U);
    EXPECT_EQ(list.front(), nlohmann::json::parse(R"({"active":false,
        "id":"https://aloitteet.example.fi/api/v1/municipalities/20","nameFi":"Akaa","nameSv":"Akaa"})"));
    EXPECT_EQ(list[1]["nameFi"], "Alajärvi");
    EXPECT_EQ(list[list.size() - 2]["nameFi"], "Ähtäri");
    EXPECT_EQ(list.back()["nameFi"], "Äänekoski");
    auto helsinki = get("/api/v1/municipalities/91");
    ASSERT_EQ(helsinki.status, 200);
    EXPECT_EQ(helsinki.body,
              R"({"active":true,"id":"https://aloitteet.example.fi/api/v1/municipalities/91",)"
              R"("nameFi":"Helsinki","nameSv":"Helsingfors"})");
    auto espoo = get("/api/v1/municipalities/49").json();
    EXPECT_EQ(espoo["nameSv"], "Esbo");
    EXPECT_EQ(espoo["active"], false);
    EXPECT_EQ(get("/api/v1/municipalities/5").json()["id"],
              std::string(kApi) + "/municipalities/5");
}

TEST_F(InitiativesApi, AFinalJsonSuffixIsAcceptedAndTheAnswerIsAlwaysJson) {
    EXPECT_EQ(get("/api/v1/initiatives.json").body, get("/api/v1/initiatives").body);
    EXPECT_EQ(get("/api/v1/initiatives/1.json").body, get("/api/v1/initiatives/1").body);
    EXPECT_EQ(get("/api/v1/municipalities/91.json?jsonp=cb").body,
              get("/api/v1/municipalities/91?jsonp=cb").body);
    EXPECT_EQ(get("/api/v1/initiatives.xml").status, 404);
    EXPECT_EQ(get("/api/v1/initiatives/1.xml").status, 404);
    auto xml = get("/api/v1/initiatives/1", {{"Accept", "text/xml"}});
    EXPECT_EQ(xml.status, 200);
    EXPECT_EQ(xml.header("content-type"), kJsonType);
}

TEST_F(InitiativesApi, UnknownAndNonPublicAre404) {
    for (const char* target : {"/api/v1/initiatives/4",
                               "/api/v1/initiatives/5",
                               "/api/v1/initiatives/999",
                               "/api/v1/initiatives/01",
                               "/api/v1/initiatives/x",
                               "/api/v1/initiatives/-1",
                               "/api/v1/municipalities/99",
                               "/api/v1/municipalities/005",
                               "/api/v1/municipalities/0",
                               "/api/v1/municipalities/helsinki",
                               "/api/v1/nothing",
                               "/api/v1/initiatives/1/authors"}) {
        auto r = get(target);
        EXPECT_EQ(r.status, 404) << target;
        EXPECT_EQ(r.header("content-type"), kJsonType) << target;
        EXPECT_FALSE(r.json().is_null()) << target;
        EXPECT_EQ(r.body.find("Luonnos"), std::string::npos);
        EXPECT_EQ(r.body.find("Korjattava"), std::string::npos);
    }
    EXPECT_EQ(get("/api/v1/initiatives/4?jsonp=cb").status, 404);
}

TEST_F(InitiativesApi, EveryOrder) {
    // Demo: 1 published 2026-03-01, not sent, 135 participants; 2 2026-01-15, sent
    // 2026-02-01, 0; 3 2025-11-20, sent 2026-04-10, 2750; 6 2026-05-05, not sent, 12.
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(ids(""), (V{6, 3, 2, 1}));
    EXPECT_EQ(ids("orderBy=id"), (V{6, 3, 2, 1}));
    EXPECT_EQ(ids("orderBy=oldestSent"), (V{2, 3, 1, 6}));
    EXPECT_EQ(ids("orderBy=latestSent"), (V{3, 2, 6, 1}));
    EXPECT_EQ(ids("orderBy=mostParticipants"), (V{3, 1, 6, 2}));
    EXPECT_EQ(ids("orderBy=leastParticipants"), (V{2, 6, 1, 3}));
    EXPECT_EQ(ids("orderBy=oldest"), (V{3, 2, 1, 6}));
    EXPECT_EQ(ids("orderBy=latest"), (V{6, 1, 2, 3}));
    // Ties: 7 is published, sent and counted like 2 and 6.
    add(7, "2026-05-05", std::nullopt, 12);
    add(8, "2026-01-15", "2026-02-01", 0);
    EXPECT_EQ(ids("orderBy=latest"), (V{7, 6, 1, 8, 2, 3}));
    EXPECT_EQ(ids("orderBy=oldest"), (V{3, 2, 8, 1, 6, 7}));
    EXPECT_EQ(ids("orderBy=oldestSent"), (V{2, 8, 3, 1, 6, 7}));
    EXPECT_EQ(ids("orderBy=latestSent"), (V{3, 8, 2, 7, 6, 1}));
    EXPECT_EQ(ids("orderBy=mostParticipants"), (V{3, 1, 7, 6, 8, 2}));
    EXPECT_EQ(ids("orderBy=leastParticipants"), (V{2, 8, 6, 7, 1, 3}));
    EXPECT_EQ(ids("municipality=91&orderBy=id"), (V{8, 7, 1}));
    EXPECT_EQ(ids("municipality=837"), (V{3}));
    EXPECT_TRUE(ids("municipality=5").empty());
}

TEST_F(InitiativesApi, LimitIsCappedAndOffsetsPastTheEndAreEmpty) {
    for (std::int64_t id = 100; id < 160; ++id) {
        add(id, "2026-06-01", std::nullopt, 1);
    }
    EXPECT_EQ(ids("").size(), 20U);
    EXPECT_EQ(ids("limit=100").size(), 50U);
    EXPECT_EQ(ids("limit=50").size(), 50U);
    EXPECT_EQ(ids("limit=3"), (std::vector<std::int64_t>{159, 158, 157}));
    EXPECT_EQ(ids("limit=2&offset=59"), (std::vector<std::int64_t>{100, 6}));
    EXPECT_TRUE(ids("limit=0").empty());
    EXPECT_TRUE(ids("offset=64").empty());
    EXPECT_TRUE(ids("offset=99999999999999999999999").empty());
    EXPECT_EQ(ids("offset=&limit=&orderBy=&municipality=").size(), 20U);  // empty = absent
    EXPECT_EQ(get("/api/v1/initiatives?offset=64").body, "[]");
}

TEST_F(InitiativesApi, EveryBadParameterIs400NamingIt) {
    using V = std::vector<std::string>;
    EXPECT_EQ(refused(get("/api/v1/initiatives?offset=-1")), V{"offset"});
    EXPECT_EQ(refused(get("/api/v1/initiatives?offset=abc")), V{"offset"});
    EXPECT_EQ(refused(get("/api/v1/initiatives?limit=-5")), V{"limit"});
    EXPECT_EQ(refused(get("/api/v1/initiatives?limit=1.5")), V{"limit"});
    EXPECT_EQ(refused(get("/api/v1/initiatives?municipality=99")), V{"municipality"});
    EXPECT_EQ(refused(get("/api/v1/initiatives?municipality=Helsinki")), V{"municipality"});
    EXPECT_EQ(refused(get("/api/v1/initiatives?orderBy=newest")), V{"orderBy"});
    EXPECT_EQ(refused(get("/api/v1/initiatives?orderBy=ID")), V{"orderBy"});
    EXPECT_EQ(
        refused(get("/api/v1/initiatives?jsonp=a-b&limit=x&offset=-1&orderBy=q&municipality=0")),
        (V{"jsonp", "offset", "limit", "municipality", "orderBy"}));
}

TEST_F(InitiativesApi, JsonpWrapsEveryEndpoint) {
    for (const std::string target : {"/api/v1/initiatives",
                                     "/api/v1/initiatives/1",
                                     "/api/v1/municipalities",
                                     "/api/v1/municipalities/91"}) {
        const auto plain = get(target);
        for (const std::string name :
             {"myCallback", "a.b", "fns[42].method", "ääkkönen", "функция"}) {
            const std::string sep = target.find('?') == std::string::npos ? "?" : "&";
            auto r = get(target + sep + "jsonp=" + form_encode(name));
            ASSERT_EQ(r.status, 200) << target << " " << name << " " << r.body;
            EXPECT_EQ(r.header("content-type"), "application/javascript; charset=utf-8");
            EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
            ASSERT_EQ(r.body.rfind(name + "(", 0), 0U) << r.body.substr(0, 40);
            ASSERT_EQ(r.body.substr(r.body.size() - 2), ");");
            const auto inner = r.body.substr(name.size() + 1, r.body.size() - name.size() - 3);
            EXPECT_EQ(nlohmann::json::parse(inner), plain.json()) << target;
        }
    }
}

TEST_F(InitiativesApi, InvalidCallbacksAreRefusedAndNeverReflected) {
    for (const std::string name : {"",
                                   "alert()",
                                   "a-b",
                                   "23foo",
                                   "a[]",
                                   "$.if",
                                   "synchronized",
                                   "<script>alert(1)</script>",
                                   "a;alert(1)//"}) {
        for (const std::string path : {"/api/v1/initiatives",
                                       "/api/v1/initiatives/1",
                                       "/api/v1/municipalities",
                                       "/api/v1/municipalities/91"}) {
            auto r = get(path + "?jsonp=" + form_encode(name));
            EXPECT_EQ(refused(r), std::vector<std::string>{"jsonp"}) << name;
            EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
            if (!name.empty()) {
                EXPECT_EQ(r.body.find(name), std::string::npos) << r.body;
            }
        }
    }
}

TEST_F(InitiativesApi, EntityTagsAndNotModified) {
    for (const char* target : {"/api/v1/initiatives",
                               "/api/v1/initiatives/1",
                               "/api/v1/municipalities",
                               "/api/v1/municipalities/91",
                               "/api/v1/initiatives?jsonp=cb"}) {
        auto first = get(target);
        ASSERT_EQ(first.status, 200);
        const auto tag = first.header("etag");
        ASSERT_FALSE(tag.empty()) << target;
        auto again = get(target, {{"If-None-Match", tag}});
        EXPECT_EQ(again.status, 304) << target;
        EXPECT_TRUE(again.body.empty());
    }
    const auto before = get("/api/v1/initiatives").header("etag");
    add(9, "2026-06-01", std::nullopt, 1);
    EXPECT_NE(get("/api/v1/initiatives").header("etag"), before);
}

TEST_F(InitiativesApi, CorsAsOnTheOpen311Api) {
    auto r = get("/api/v1/initiatives/1", {{"Origin", "https://app.example.org"}});
    EXPECT_EQ(r.header("access-control-allow-origin"), "*");
    auto preflight = server_.client().request(
        "OPTIONS",
        "/api/v1/initiatives",
        "",
        {{"Origin", "https://app.example.org"}, {"Access-Control-Request-Method", "GET"}});
    EXPECT_EQ(preflight.status, 204);
    EXPECT_NE(preflight.header("access-control-allow-methods").find("GET"), std::string::npos);
    auto post = server_.client().request("POST",
                                         "/api/v1/initiatives",
                                         "x=1",
                                         {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(post.status, 405);
    EXPECT_NE(post.header("allow").find("GET"), std::string::npos);
}

TEST_F(InitiativesApi, NothingPrivateInAnyAnswer) {
    std::vector<std::string> bodies;
    for (const char* target : {"/api/v1/initiatives",
                               "/api/v1/initiatives?limit=50&orderBy=oldest",
                               "/api/v1/initiatives/1",
                               "/api/v1/initiatives/2",
                               "/api/v1/initiatives/3",
                               "/api/v1/initiatives/4",
                               "/api/v1/initiatives/5",
                               "/api/v1/initiatives/6",
                               "/api/v1/initiatives/6?jsonp=cb"}) {
        auto r = get(target);
        bodies.push_back(r.body);
        if (r.status == 200 && r.header("content-type") == kJsonType) {
            std::vector<std::string> keys;
            collect_keys(r.json(), keys);
            for (const auto& k : keys) {
                EXPECT_TRUE(k != "residents" && k != "public" && k != "state" && k != "fix_state" &&
                            k != "email")
                    << target << " has " << k;
            }
        }
    }
    for (const auto& body : bodies) {
        for (const char* secret : {"Piilotettu Tekijä",
                                   "Dold Författare",
                                   "Kalle Luonnos",
                                   "Korjattava Kirjoittaja",
                                   "2300",
                                   "\"110\"",
                                   ":110"}) {
            EXPECT_EQ(body.find(secret), std::string::npos) << secret << " in " << body;
        }
    }
}

TEST(InitiativesApiSettings, OffUnlessEnabledAndTheBasePathIsASetting) {
    {
        TestServer off;
        EXPECT_EQ(off.client().get("/api/v1/initiatives").status, 404);
        EXPECT_EQ(
            off.client()
                .get("/admin/v1/initiatives/1", {{"Authorization", "Bearer " + off.admin_key}})
                .status,
            404);
    }
    TestServer moved([](Config& c) {
        enable(c);
        c.initiatives.base_path = "/aloitteet/v1";
    });
    initiatives::load_demo_initiatives(moved.store());
    EXPECT_EQ(moved.client().get("/api/v1/initiatives").status, 404);
    auto r = moved.client().get("/aloitteet/v1/initiatives/1");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["id"], "https://aloitteet.example.fi/aloitteet/v1/initiatives/1");
    // The Open311 API beside it is unchanged.
    EXPECT_EQ(moved.client().get("/open311/v2/services.json").status, 200);
}

}  // namespace
}  // namespace open311::test
