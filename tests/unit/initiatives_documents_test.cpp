// The public documents of the initiatives API: exact shapes, counting rules and privacy.
#include "initiatives/documents.hpp"
#include "initiatives/import_format.hpp"
#include "initiatives/list_query.hpp"

#include <gtest/gtest.h>

namespace open311::initiatives {
namespace {

const Links kLinks{"https://aloitteet.example.fi/api/v1", "https://www.kuntalaisaloite.fi"};

Municipalities municipalities() {
    return Municipalities({{91, "Helsinki", "Helsingfors"},
                           {49, "Espoo", "Esbo"},
                           {20, "Akaa", "Akaa"},
                           {977, "Ylivieska", "Ylivieska"},
                           {989, "Ähtäri", "Etseri"},
                           {992, "Äänekoski", "Äänekoski"},
                           {322, "Kemiönsaari", "Kimitoön"}},
                          {91});
}

Initiative sample(InitiativeType type) {
    Initiative i;
    i.id = 17;
    i.name = "Penkkejä";
    i.proposal = "Lisää penkkejä.";
    i.type = type;
    i.municipality = 91;
    i.state = InitiativeState::published;
    i.publish_date = "2026-03-01";
    i.participants = {120, 80, 110, 15};
    i.authors = {
        {"Maija Meikäläinen", 91, true}, {"Hidden Author", 49, false}, {"Ei Kotia", {}, true}};
    return i;
}

TEST(InitiativeDocuments, MunicipalitiesAreOrderedTheFinnishWay) {
    std::vector<std::string> names;
    const auto ms = municipalities();
    for (const auto& m : ms.by_finnish_name()) {
        names.push_back(m.name_fi);
    }
    EXPECT_EQ(names,
              (std::vector<std::string>{
                  "Akaa", "Espoo", "Helsinki", "Kemiönsaari", "Ylivieska", "Ähtäri", "Äänekoski"}));
    EXPECT_TRUE(finnish_less("Åland", "Ärjä"));
    EXPECT_TRUE(finnish_less("Ärjä", "Öja"));
    EXPECT_TRUE(finnish_less("zeta", "Åland"));
    EXPECT_TRUE(finnish_less("Vaasa", "Wasa"));
}

TEST(InitiativeDocuments, DetailsOfACollaborativeInitiative) {
    const auto doc = details_json(sample(InitiativeType::collaborative), municipalities(), kLinks);
    const auto expected = nlohmann::json::parse(R"({
      "authors": {
        "privateNames": 1,
        "publicAuthors": [
          {"municipality": {"active": true, "id": "https://aloitteet.example.fi/api/v1/municipalities/91",
                            "nameFi": "Helsinki", "nameSv": "Helsingfors"},
           "name": "Maija Meikäläinen"},
          {"municipality": null, "name": "Ei Kotia"}],
        "publicNames": 2},
      "collaborative": true,
      "id": "https://aloitteet.example.fi/api/v1/initiatives/17",
      "municipality": {"active": true, "id": "https://aloitteet.example.fi/api/v1/municipalities/91",
                       "nameFi": "Helsinki", "nameSv": "Helsingfors"},
      "name": "Penkkejä",
      "participantCount": {"externalNames": 15, "privateNames": 40, "publicNames": 80, "total": 135},
      "proposal": "Lisää penkkejä.",
      "publishDate": "2026-03-01",
      "sentTime": null,
      "type": "COLLABORATIVE",
      "url": {"fi": "https://www.kuntalaisaloite.fi/fi/aloite/17",
              "sv": "https://www.kuntalaisaloite.fi/sv/initiativ/17"}})");
    EXPECT_EQ(doc, expected);
    // Keys in alphabetical order, nulls written out, UTF-8 as it is.
    const auto text = dump(doc);
    EXPECT_EQ(text.find("{\"authors\":{\"privateNames\":1,"), 0U) << text;
    EXPECT_NE(text.find("\"sentTime\":null"), std::string::npos);
    EXPECT_NE(text.find("Penkkejä"), std::string::npos);
    EXPECT_EQ(text.find("Hidden Author"), std::string::npos);
    EXPECT_EQ(text.find("110"), std::string::npos);  // the residents counter
}

TEST(InitiativeDocuments, ANonCollaborativeInitiativeHasNoNamedParticipants) {
    auto i = sample(InitiativeType::single);
    i.sent_date = "2026-04-01";
    const auto doc = details_json(i, municipalities(), kLinks);
    EXPECT_EQ(doc["participantCount"],
              nlohmann::json::parse(
                  R"({"externalNames": 15, "privateNames": 0, "publicNames": 0, "total": 135})"));
    EXPECT_EQ(doc["collaborative"], false);
    EXPECT_EQ(doc["sentTime"], "2026-04-01");
    const auto item = list_item_json(i, municipalities(), kLinks);
    EXPECT_EQ(item["participantCount"], 135);  // the same number as the details' total
    EXPECT_FALSE(item.contains("authors"));
    EXPECT_FALSE(item.contains("proposal"));
    std::vector<std::string> keys;
    for (const auto& [k, v] : item.items()) {
        keys.push_back(k);
    }
    EXPECT_EQ(keys,
              (std::vector<std::string>{"collaborative",
                                        "id",
                                        "municipality",
                                        "name",
                                        "participantCount",
                                        "publishDate",
                                        "sentTime",
                                        "type",
                                        "url"}));
}

TEST(InitiativeDocuments, LinksComeFromTheSettings) {
    Config c;
    c.listen_host = "127.0.0.1";
    c.listen_port = 8080;
    EXPECT_EQ(links_for(c).initiative(5), "http://127.0.0.1:8080/api/v1/initiatives/5");
    c.public_url = "https://palaute.example.fi/open311/v2";
    EXPECT_EQ(links_for(c).municipality(5), "https://palaute.example.fi/api/v1/municipalities/5");
    c.initiatives.api_base_url = "https://aloitteet.example.fi";
    c.initiatives.base_path = "/aloitteet/v1";
    EXPECT_EQ(links_for(c).initiative(5),
              "https://aloitteet.example.fi/aloitteet/v1/initiatives/5");
}

TEST(InitiativeListQuery, ReadsAndNamesEveryParameter) {
    const auto ms = municipalities();
    auto q =
        read_list_query(form::parse_form("offset=20&limit=10&municipality=91&orderBy=latest"), ms);
    EXPECT_TRUE(q.errors.empty());
    EXPECT_EQ(q.query.offset, 20);
    EXPECT_EQ(q.query.limit, 10);
    EXPECT_EQ(q.query.municipality, 91);
    EXPECT_EQ(q.query.order, InitiativeOrder::latest);

    q = read_list_query(form::parse_form(""), ms);
    EXPECT_EQ(q.query.limit, 20);
    EXPECT_EQ(q.query.offset, 0);
    EXPECT_EQ(q.query.order, InitiativeOrder::id);
    EXPECT_FALSE(q.query.municipality);

    q = read_list_query(form::parse_form("limit=51"), ms);
    EXPECT_EQ(q.query.limit, 50);
    q = read_list_query(
        form::parse_form("limit=99999999999999999999999&offset=99999999999999999999"), ms);
    EXPECT_TRUE(q.errors.empty());
    EXPECT_EQ(q.query.limit, 50);

    q = read_list_query(form::parse_form("offset=-1&limit=ten&municipality=99&orderBy=newest"), ms);
    ASSERT_EQ(q.errors.size(), 4U);
    EXPECT_EQ(q.errors[0].parameter, "offset");
    EXPECT_EQ(q.errors[1].parameter, "limit");
    EXPECT_EQ(q.errors[2].parameter, "municipality");
    EXPECT_EQ(q.errors[3].parameter, "orderBy");
    for (const auto& bad :
         {"limit=1.5", "limit=+3", "limit=%203", "offset=0x10", "municipality=x"}) {
        EXPECT_EQ(read_list_query(form::parse_form(bad), ms).errors.size(), 1U) << bad;
    }
}

TEST(InitiativeListQuery, PathIds) {
    EXPECT_EQ(path_id("17"), 17);
    EXPECT_FALSE(path_id("017"));
    EXPECT_FALSE(path_id("0"));
    EXPECT_FALSE(path_id("-1"));
    EXPECT_FALSE(path_id("1e3"));
    EXPECT_FALSE(path_id("9999999999999999"));
    EXPECT_EQ(path_id("9007199254740992"), kMaxInitiativeId);
    EXPECT_FALSE(path_id("9007199254740993"));
    EXPECT_FALSE(path_id("10000000000000000"));
    EXPECT_FALSE(path_id(""));
}

}  // namespace
}  // namespace open311::initiatives
