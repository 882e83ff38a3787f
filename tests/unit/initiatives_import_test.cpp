// The initiatives import format (docs/initiatives.md): strict reading, every error named.
#include "initiatives/import_format.hpp"

#include <gtest/gtest.h>

namespace open311::initiatives {
namespace {

const std::set<int> kKnown{5, 49, 91, 837};

constexpr const char* kExample = R"({"initiatives": [
  {"id": 17, "name": "Penkkejä", "proposal": "Lisää penkkejä.", "type": "COLLABORATIVE",
   "municipality": 91, "state": "PUBLISHED", "fix_state": "OK",
   "publish_date": "2026-03-01", "sent_date": null,
   "participants": {"total": 120, "public": 80, "residents": 110, "external": 15},
   "authors": [{"name": "Maija Meikäläinen", "municipality": 91, "public": true},
               {"name": "Hidden Author", "municipality": 49, "public": false}]}
]})";

nlohmann::json example_object() {
    return nlohmann::json::parse(kExample)["initiatives"][0];
}

std::vector<std::string> errors_of(const nlohmann::json& object) {
    std::vector<std::string> errors;
    EXPECT_FALSE(read_initiative(object, "x", kKnown, std::nullopt, errors));
    return errors;
}

TEST(InitiativeImport, ReadsTheDocumentedExample) {
    auto file = read_import_file(kExample, kKnown);
    ASSERT_TRUE(file.errors.empty()) << file.errors.front();
    ASSERT_EQ(file.initiatives.size(), 1U);
    const auto& i = file.initiatives[0];
    EXPECT_EQ(i.id, 17);
    EXPECT_EQ(i.type, InitiativeType::collaborative);
    EXPECT_EQ(i.municipality, 91);
    EXPECT_TRUE(i.is_public());
    EXPECT_EQ(i.publish_date, "2026-03-01");
    EXPECT_FALSE(i.sent_date);
    EXPECT_EQ(i.participants, (ParticipantCounts{120, 80, 110, 15}));
    ASSERT_EQ(i.authors.size(), 2U);
    EXPECT_EQ(i.authors[1], (InitiativeAuthor{"Hidden Author", 49, false}));
    // Written back, the object is the one read.
    EXPECT_EQ(nlohmann::json(import_object(i)), example_object());
}

TEST(InitiativeImport, UnknownMembersAreRefusedByName) {
    auto o = example_object();
    o["title"] = "x";
    o["participants"]["signatures"] = 3;
    o["authors"][1]["email"] = "a@example.org";
    const auto errors = errors_of(o);
    ASSERT_EQ(errors.size(), 3U);
    EXPECT_EQ(errors[0], "x.title: unknown member");
    EXPECT_EQ(errors[1], "x.participants.signatures: unknown member");
    EXPECT_EQ(errors[2], "x.authors[1].email: unknown member");

    auto file = read_import_file(R"({"initiatives": [], "version": 2})", kKnown);
    ASSERT_EQ(file.errors.size(), 1U);
    EXPECT_EQ(file.errors[0], "version: unknown member");
}

TEST(InitiativeImport, EveryMemberIsChecked) {
    struct Case {
        const char* pointer;
        nlohmann::json value;
        const char* member;
    };
    const std::vector<Case> cases{
        {"/id", 0, "x.id:"},
        {"/id", "17", "x.id:"},
        {"/name", "", "x.name:"},
        {"/proposal", 5, "x.proposal:"},
        {"/type", "PETITION", "x.type:"},
        {"/municipality", 99, "x.municipality:"},
        {"/municipality", nullptr, "x.municipality:"},
        {"/state", "SENT", "x.state:"},
        {"/fix_state", "BROKEN", "x.fix_state:"},
        {"/publish_date", "2026-02-30", "x.publish_date:"},
        {"/publish_date", "1.3.2026", "x.publish_date:"},
        {"/publish_date", nullptr, "x.publish_date: required when state is PUBLISHED"},
        {"/sent_date", "2026-02-01", "x.sent_date: must not be before publish_date"},
        {"/participants/total", -1, "x.participants.total:"},
        {"/participants/public", 121, "x.participants.public: must not exceed total (120)"},
        {"/participants/residents", 121, "x.participants.residents:"},
        {"/participants/external", 1.5, "x.participants.external:"},
        {"/participants", nlohmann::json::array(), "x.participants:"},
        {"/authors", nlohmann::json::object(), "x.authors:"},
        {"/authors/0/public", "yes", "x.authors[0].public:"},
        {"/authors/0/municipality", 1000, "x.authors[0].municipality:"},
        {"/authors/1/name", "", "x.authors[1].name:"},
    };
    for (const auto& c : cases) {
        auto o = example_object();
        o[nlohmann::json::json_pointer(c.pointer)] = c.value;
        const auto errors = errors_of(o);
        ASSERT_EQ(errors.size(), 1U) << c.pointer;
        EXPECT_EQ(errors[0].rfind(c.member, 0), 0U) << errors[0];
    }
    auto o = example_object();
    o.erase("name");
    o.erase("participants");
    const auto errors = errors_of(o);
    ASSERT_EQ(errors.size(), 2U);
    EXPECT_EQ(errors[0], "x.name: missing");
    EXPECT_EQ(errors[1], "x.participants: missing");
}

TEST(InitiativeImport, OptionalMembersAndThePathId) {
    auto o = example_object();
    o.erase("fix_state");
    o.erase("sent_date");
    o.erase("id");
    o["authors"][0]["municipality"] = nullptr;
    std::vector<std::string> errors;
    auto i = read_initiative(o, "body", kKnown, 23, errors);
    ASSERT_TRUE(i) << errors.front();
    EXPECT_EQ(i->id, 23);
    EXPECT_EQ(i->fix_state, FixState::ok);
    EXPECT_FALSE(i->authors[0].municipality);

    o["id"] = 24;
    EXPECT_FALSE(read_initiative(o, "body", kKnown, 23, errors));
    EXPECT_EQ(errors.back(), "body.id: differs from the id in the path (23)");
}

TEST(InitiativeImport, TheFileIsAllOrNothing) {
    auto file = read_import_file("{\"initiatives\": [", kKnown);
    EXPECT_EQ(file.errors.size(), 1U);
    file = read_import_file("[]", kKnown);
    EXPECT_EQ(file.errors.size(), 1U);
    auto two = nlohmann::json::parse(kExample);
    two["initiatives"].push_back(two["initiatives"][0]);
    file = read_import_file(two.dump(), kKnown);
    ASSERT_EQ(file.errors.size(), 1U);
    EXPECT_EQ(file.errors[0], "initiatives[1].id: 17 appears more than once in the file");
    EXPECT_TRUE(file.initiatives.empty());
    two["initiatives"][1]["id"] = 18;
    two["initiatives"][1]["type"] = "NOPE";
    file = read_import_file(two.dump(), kKnown);
    EXPECT_EQ(file.errors.size(), 1U);
    EXPECT_TRUE(file.initiatives.empty());
}

TEST(InitiativeImport, Dates) {
    EXPECT_TRUE(valid_date("2024-02-29"));
    EXPECT_FALSE(valid_date("2023-02-29"));
    EXPECT_FALSE(valid_date("2100-02-29"));
    EXPECT_TRUE(valid_date("2000-02-29"));
    EXPECT_FALSE(valid_date("2026-13-01"));
    EXPECT_FALSE(valid_date("2026-1-01"));
    EXPECT_FALSE(valid_date("2026-01-01T00:00"));
}

}  // namespace
}  // namespace open311::initiatives
