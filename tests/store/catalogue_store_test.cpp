// CatalogueStore contract: ordering, inactive services, create/update outcomes with their
// audit lines.
#include "open311/store/catalogue_store.hpp"

#include "store/store_contract.hpp"

namespace open311::store_test {
namespace {

template <typename Backend>
class CatalogueContract : public StoreContract<Backend> {};
TYPED_TEST_SUITE(CatalogueContract, StoreBackends, BackendNames);

std::vector<std::string> codes(const std::vector<Service>& services) {
    std::vector<std::string> out;
    for (const auto& s : services) {
        out.push_back(s.code);
    }
    return out;
}

Service with_attribute(const std::string& code) {
    Service s;
    s.code = code;
    s.type = ServiceType::batch;
    s.translations["fi"] = ServiceTranslation{"Penkit", "Kuvaus", "penkki", "Puistot"};
    s.translations["en"] = ServiceTranslation{"Benches", "About", "bench", "Parks"};
    Attribute a;
    a.code = "colour";
    a.datatype = Datatype::singlevaluelist;
    a.required = true;
    a.order = 1;
    a.description["en"] = "Colour";
    a.values = {AttributeValue{"r", {{"en", "Red"}}}, AttributeValue{"g", {{"en", "Green"}}}};
    s.attributes.push_back(a);
    return s;
}

TYPED_TEST(CatalogueContract, ListsByCodeAndHidesInactiveUnlessAsked) {
    Service c;
    c.code = "0.9";
    this->store().upsert_services({c});
    EXPECT_EQ(codes(this->store().list_services(false)), (std::vector<std::string>{"0.9", "A1"}));
    EXPECT_EQ(codes(this->store().list_services(true)),
              (std::vector<std::string>{"0.9", "A1", "B2"}));
    EXPECT_EQ(codes(*this->store().catalogue_snapshot()),
              (std::vector<std::string>{"0.9", "A1", "B2"}));
    EXPECT_EQ(this->store().count_services(), 3);
}

TYPED_TEST(CatalogueContract, UpsertReplacesTranslationsAndAttributesWhole) {
    this->store().upsert_services({with_attribute("C3")});
    auto found = this->store().find_service("C3");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->type, ServiceType::batch);
    EXPECT_EQ(found->translations.at("fi").group, "Puistot");
    ASSERT_EQ(found->attributes.size(), 1U);
    EXPECT_TRUE(found->attributes[0].required);
    ASSERT_EQ(found->attributes[0].values.size(), 2U);
    EXPECT_EQ(found->attributes[0].values[1].key, "g");
    EXPECT_EQ(found->attributes[0].values[1].name.at("en"), "Green");

    Service bare;
    bare.code = "C3";
    this->store().upsert_services({bare});
    found = this->store().find_service("C3");
    ASSERT_TRUE(found);
    EXPECT_TRUE(found->attributes.empty());
    EXPECT_TRUE(found->translations.empty());
    EXPECT_FALSE(this->store().find_service("nope"));
}

TYPED_TEST(CatalogueContract, CreateAndUpdateReportOutcomesAndAuditOnlyWhatApplied) {
    auto& store = this->store();
    EXPECT_EQ(store.create_service(with_attribute("D4"), this->audit("service.create", "", "D4")),
              SaveOutcome::applied);
    EXPECT_EQ(store.create_service(with_attribute("D4"), this->audit("service.create", "", "D4")),
              SaveOutcome::exists);
    Service unknown;
    unknown.code = "Z9";
    EXPECT_EQ(store.update_service(unknown, this->audit("service.update", "", "Z9")),
              SaveOutcome::not_found);
    Service off = with_attribute("D4");
    off.active = false;
    EXPECT_EQ(store.update_service(off, this->audit("service.deactivate", "", "D4")),
              SaveOutcome::applied);
    // The new state is visible at once through every read.
    EXPECT_FALSE(store.find_service("D4")->active);
    EXPECT_EQ(codes(store.list_services(false)), (std::vector<std::string>{"A1"}));

    AuditFilter f;
    f.action = "service.";
    auto lines = store.search_audit(f);
    ASSERT_EQ(lines.size(), 2U);
    EXPECT_EQ(lines[0].action, "service.deactivate");
    EXPECT_EQ(lines[1].action, "service.create");
    EXPECT_EQ(lines[1].subject, "D4");
}

}  // namespace
}  // namespace open311::store_test
