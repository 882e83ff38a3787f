// InitiativeStore contract: the municipalities shipped with the schema, whole-initiative
// saves with their audit lines, the public filter and every order of the public list.
#include "open311/store/initiative_store.hpp"

#include "store/store_contract.hpp"

#include <algorithm>

namespace open311::store_test {
namespace {

template <typename Backend>
class InitiativeContract : public StoreContract<Backend> {
protected:
    /// A public COLLABORATIVE initiative of Helsinki.
    static Initiative initiative(std::int64_t id,
                                 std::optional<std::string> published = "2026-03-01",
                                 std::optional<std::string> sent = std::nullopt,
                                 std::int64_t total = 10,
                                 std::int64_t external = 0) {
        Initiative i;
        i.id = id;
        i.name = "Initiative " + std::to_string(id);
        i.proposal = "Proposal " + std::to_string(id);
        i.type = InitiativeType::collaborative;
        i.municipality = 91;
        i.state = InitiativeState::published;
        i.fix_state = FixState::ok;
        i.publish_date = std::move(published);
        i.sent_date = std::move(sent);
        i.participants = {total, total / 2, total / 2, external};
        return i;
    }
    void save(const Initiative& i) {
        this->store().save_initiative(i,
                                      this->audit("initiative.create", "", std::to_string(i.id)));
    }
    std::vector<std::int64_t> ids(InitiativeOrder order,
                                  int limit = 50,
                                  std::int64_t offset = 0,
                                  std::optional<int> municipality = std::nullopt) {
        InitiativeQuery q;
        q.order = order;
        q.limit = limit;
        q.offset = offset;
        q.municipality = municipality;
        std::vector<std::int64_t> out;
        for (const auto& i : this->store().list_public_initiatives(q)) {
            EXPECT_TRUE(i.authors.empty());  // the list carries no authors
            out.push_back(i.id);
        }
        return out;
    }
};
TYPED_TEST_SUITE(InitiativeContract, StoreBackends, BackendNames);

TYPED_TEST(InitiativeContract, MunicipalitiesOfFinlandShipWithTheSchema) {
    auto& store = this->store();
    const auto all = store.list_municipalities();
    EXPECT_EQ(all.size(), 309U);
    EXPECT_TRUE(std::is_sorted(
        all.begin(), all.end(), [](const auto& a, const auto& b) { return a.code < b.code; }));
    const std::vector<std::tuple<int, std::string, std::string>> known{
        {91, "Helsinki", "Helsingfors"},
        {49, "Espoo", "Esbo"},
        {5, "Alajärvi", "Alajärvi"},
        {837, "Tampere", "Tammerfors"},
        {853, "Turku", "Åbo"},
        {92, "Vantaa", "Vanda"}};
    for (const auto& [code, fi, sv] : known) {
        auto m = store.find_municipality(code);
        ASSERT_TRUE(m) << code;
        EXPECT_EQ(m->name_fi, fi);
        EXPECT_EQ(m->name_sv, sv);
    }
    EXPECT_FALSE(store.find_municipality(99));  // Honkajoki, merged into Kankaanpää in 2021
    EXPECT_FALSE(store.find_municipality(0));
}

TYPED_TEST(InitiativeContract, SaveCreatesReplacesAndDeletesWholeInitiatives) {
    auto& store = this->store();
    auto i = this->initiative(17);
    i.authors = {
        {"Maija Meikäläinen", 91, true}, {"Hidden Author", 49, false}, {"No Home", {}, true}};
    EXPECT_EQ(store.count_initiatives(), 0);
    EXPECT_TRUE(store.save_initiative(i, this->audit("initiative.create", "", "17")));
    auto found = store.find_initiative(17);
    ASSERT_TRUE(found);
    EXPECT_EQ(*found, i);  // every field, authors in their order

    i.name = "Renamed";
    i.participants.residents = 3;
    i.authors = {{"Only One", 853, false}};
    i.sent_date = "2026-04-01";
    EXPECT_FALSE(store.save_initiative(i, this->audit("initiative.replace", "", "17")));
    EXPECT_EQ(*store.find_initiative(17), i);  // the old authors are gone
    EXPECT_EQ(store.count_initiatives(), 1);

    EXPECT_TRUE(store.delete_initiative(17, this->audit("initiative.delete", "", "17")));
    EXPECT_FALSE(store.find_initiative(17));
    EXPECT_FALSE(store.delete_initiative(17, this->audit("initiative.delete", "", "17")));
    EXPECT_EQ(store.count_initiatives(), 0);

    AuditFilter f;
    f.action = "initiative.";
    auto lines = store.search_audit(f);
    ASSERT_EQ(lines.size(), 3U);  // the failed delete wrote none
    EXPECT_EQ(lines[0].action, "initiative.delete");
    EXPECT_EQ(lines[1].action, "initiative.replace");
    EXPECT_EQ(lines[2].action, "initiative.create");
    EXPECT_EQ(lines[2].subject, "17");
}

TYPED_TEST(InitiativeContract, AnUnknownMunicipalityIsRefusedAndNothingIsWritten) {
    auto& store = this->store();
    auto i = this->initiative(1);
    i.municipality = 99;
    try {
        store.save_initiative(i, this->audit("initiative.create"));
        ADD_FAILURE() << "an unknown municipality was saved";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::constraint) << e.what();
    }
    EXPECT_FALSE(store.find_initiative(1));
    EXPECT_TRUE(store.search_audit({}).empty());
}

TYPED_TEST(InitiativeContract, OnlyPublishedInitiativesNotBeingCorrectedAreListed) {
    auto draft = this->initiative(1);
    draft.state = InitiativeState::draft;
    auto review = this->initiative(2);
    review.state = InitiativeState::review;
    auto accepted = this->initiative(3);
    accepted.state = InitiativeState::accepted;
    auto fixing = this->initiative(4);
    fixing.fix_state = FixState::fix;
    auto rereview = this->initiative(5);
    rereview.fix_state = FixState::review;
    for (const auto& i : {draft, review, accepted, fixing, rereview, this->initiative(6)}) {
        this->save(i);
    }
    EXPECT_EQ(this->ids(InitiativeOrder::id), (std::vector<std::int64_t>{6}));
    // find_initiative still answers every state: the caller decides what is public.
    EXPECT_TRUE(this->store().find_initiative(1));
}

TYPED_TEST(InitiativeContract, EveryOrderBreaksTiesByIdAndPutsUnsentLast) {
    // id: published, sent, participants (total + external)
    this->save(this->initiative(1, "2026-01-01", "2026-02-01", 10, 0));
    this->save(this->initiative(2, "2026-01-01", std::nullopt, 5, 5));
    this->save(this->initiative(3, "2026-03-01", "2026-02-01", 30, 0));
    this->save(this->initiative(4, "2026-02-01", std::nullopt, 0, 0));
    this->save(this->initiative(5, "2026-02-01", "2026-05-01", 10, 0));
    using O = InitiativeOrder;
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(this->ids(O::id), (V{5, 4, 3, 2, 1}));
    EXPECT_EQ(this->ids(O::oldest_sent), (V{1, 3, 5, 2, 4}));
    EXPECT_EQ(this->ids(O::latest_sent), (V{5, 3, 1, 4, 2}));
    EXPECT_EQ(this->ids(O::most_participants), (V{3, 5, 2, 1, 4}));
    EXPECT_EQ(this->ids(O::least_participants), (V{4, 1, 2, 5, 3}));
    EXPECT_EQ(this->ids(O::oldest), (V{1, 2, 4, 5, 3}));
    EXPECT_EQ(this->ids(O::latest), (V{3, 5, 4, 2, 1}));
}

TYPED_TEST(InitiativeContract, PagesAndTheMunicipalityFilter) {
    for (std::int64_t id = 1; id <= 6; ++id) {
        auto i = this->initiative(id);
        i.municipality = id % 2 == 0 ? 49 : 91;
        this->save(i);
    }
    using V = std::vector<std::int64_t>;
    EXPECT_EQ(this->ids(InitiativeOrder::id, 2, 1), (V{5, 4}));
    EXPECT_EQ(this->ids(InitiativeOrder::id, 50, 5), (V{1}));
    EXPECT_TRUE(this->ids(InitiativeOrder::id, 50, 6).empty());
    EXPECT_TRUE(this->ids(InitiativeOrder::id, 50, 1'000'000'000'000).empty());
    EXPECT_TRUE(this->ids(InitiativeOrder::id, 0, 0).empty());
    EXPECT_EQ(this->ids(InitiativeOrder::id, 50, 0, 49), (V{6, 4, 2}));
    EXPECT_EQ(this->ids(InitiativeOrder::id, 1, 1, 91), (V{3}));
    EXPECT_TRUE(this->ids(InitiativeOrder::id, 50, 0, 837).empty());
}

}  // namespace
}  // namespace open311::store_test
