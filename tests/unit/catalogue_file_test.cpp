#include "catalogue/catalogue_file.hpp"

#include "util/embedded.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace open311::catalogue {
namespace {

std::string demo_text() {
    auto files = embedded_demo_catalogue();
    EXPECT_EQ(files.size(), 1U);
    return files.empty() ? std::string() : std::string(files.front().content);
}

const Service* find(const std::vector<Service>& services, const std::string& code) {
    auto it = std::find_if(
        services.begin(), services.end(), [&](const Service& s) { return s.code == code; });
    return it == services.end() ? nullptr : &*it;
}

/// The CatalogueError message of parsing `json`, or "" when it parsed.
std::string error_of(const std::string& json) {
    try {
        (void)parse_catalogue(json);
    } catch (const CatalogueError& e) {
        return e.what();
    }
    return "";
}

std::string with_service(const std::string& service_json) {
    return R"({"services": [)" + service_json + "]}";
}

const std::string kTranslations = R"("translations": {"en": {"service_name": "Benches"}})";

TEST(Catalogue, DemoIsEmbedded) {
    auto files = embedded_demo_catalogue();
    ASSERT_EQ(files.size(), 1U);
    EXPECT_EQ(files.front().name, "demo-services.json");
    EXPECT_FALSE(files.front().content.empty());
}

TEST(Catalogue, DemoHasTwentyServices) {
    auto services = parse_catalogue(demo_text());
    EXPECT_EQ(services.size(), 20U);
}

TEST(Catalogue, DemoHasTheHelsinkiCodes) {
    auto services = parse_catalogue(demo_text());
    for (const char* code : {"2805",
                             "2806",
                             "2807",
                             "2808",
                             "2809",
                             "2806.10",
                             "2806.10.2",
                             "2806.10.2.2",
                             "171",
                             "176",
                             "178",
                             "246"}) {
        EXPECT_NE(find(services, code), nullptr) << code;
    }
    const auto* leaf = find(services, "2806.10.2.2");
    ASSERT_NE(leaf, nullptr);
    EXPECT_EQ(leaf->level(), 4);
}

TEST(Catalogue, DemoServicesHaveThreeLanguages) {
    for (const auto& s : parse_catalogue(demo_text())) {
        for (const char* locale : {"fi", "sv", "en"}) {
            ASSERT_TRUE(s.translations.count(locale)) << s.code << " " << locale;
            EXPECT_FALSE(s.translations.at(locale).name.empty()) << s.code << " " << locale;
        }
    }
}

TEST(Catalogue, DemoHasBatchService) {
    auto services = parse_catalogue(demo_text());
    EXPECT_TRUE(std::any_of(services.begin(), services.end(), [](const Service& s) {
        return s.type == ServiceType::batch;
    }));
}

TEST(Catalogue, DemoHasServiceWithSeveralDatatypes) {
    auto services = parse_catalogue(demo_text());
    const auto rich = std::find_if(services.begin(), services.end(), [](const Service& s) {
        auto has = [&s](Datatype d, bool required_only) {
            return std::any_of(s.attributes.begin(), s.attributes.end(), [&](const Attribute& a) {
                return a.datatype == d && (!required_only || a.required);
            });
        };
        return has(Datatype::singlevaluelist, true) && has(Datatype::multivaluelist, false) &&
               has(Datatype::number, false);
    });
    ASSERT_NE(rich, services.end());
    EXPECT_TRUE(rich->metadata());
    EXPECT_TRUE(
        std::is_sorted(rich->attributes.begin(),
                       rich->attributes.end(),
                       [](const Attribute& a, const Attribute& b) { return a.order < b.order; }));
    for (const auto& a : rich->attributes) {
        if (a.datatype == Datatype::singlevaluelist || a.datatype == Datatype::multivaluelist) {
            EXPECT_FALSE(a.values.empty()) << a.code;
        }
    }
}

TEST(Catalogue, ServiceToJsonRoundTrips) {
    for (const auto& s : parse_catalogue(demo_text())) {
        const auto once = service_to_json(s);
        const auto again = service_to_json(parse_service(nlohmann::json::parse(once.dump())));
        EXPECT_EQ(once, again) << s.code;
    }
}

TEST(Catalogue, MinimalServiceDefaults) {
    auto services =
        parse_catalogue(with_service(R"({"service_code": "9.1", )" + kTranslations + "}"));
    ASSERT_EQ(services.size(), 1U);
    EXPECT_EQ(services[0].type, ServiceType::realtime);
    EXPECT_TRUE(services[0].active);
    EXPECT_FALSE(services[0].metadata());
    EXPECT_EQ(services[0].translations.at("en").name, "Benches");
}

TEST(Catalogue, NotJsonOrWrongShape) {
    EXPECT_NE(error_of("not json"), "");
    EXPECT_NE(error_of("[]"), "");
    EXPECT_NE(error_of(R"({"services": {}})").find("services"), std::string::npos);
}

TEST(Catalogue, BadDatatypeNamesServiceAndAttribute) {
    const auto message = error_of(with_service(R"({"service_code": "42", )" + kTranslations + R"(,
        "attributes": [{"code": "COLOUR", "datatype": "colour", "order": 1}]})"));
    EXPECT_NE(message.find("42"), std::string::npos) << message;
    EXPECT_NE(message.find("COLOUR"), std::string::npos) << message;
    EXPECT_NE(message.find("datatype"), std::string::npos) << message;
}

TEST(Catalogue, DuplicateServiceCodeIsNamed) {
    const std::string s = R"({"service_code": "42", )" + kTranslations + "}";
    const auto message = error_of(R"({"services": [)" + s + "," + s + "]}");
    EXPECT_NE(message.find("42"), std::string::npos) << message;
    EXPECT_NE(message.find("twice"), std::string::npos) << message;
}

TEST(Catalogue, DuplicateAttributeCodeIsNamed) {
    const auto message = error_of(with_service(R"({"service_code": "42", )" + kTranslations + R"(,
        "attributes": [{"code": "A", "datatype": "string", "order": 1},
                       {"code": "A", "datatype": "number", "order": 2}]})"));
    EXPECT_NE(message.find("42"), std::string::npos) << message;
    EXPECT_NE(message.find("'A'"), std::string::npos) << message;
}

TEST(Catalogue, ListWithoutValuesIsNamed) {
    const auto message = error_of(with_service(R"({"service_code": "42", )" + kTranslations + R"(,
        "attributes": [{"code": "KIND", "datatype": "singlevaluelist", "order": 1}]})"));
    EXPECT_NE(message.find("42"), std::string::npos) << message;
    EXPECT_NE(message.find("KIND"), std::string::npos) << message;
    EXPECT_NE(message.find("values"), std::string::npos) << message;
}

TEST(Catalogue, MissingTranslationsIsNamed) {
    const auto message = error_of(with_service(R"({"service_code": "42"})"));
    EXPECT_NE(message.find("42"), std::string::npos) << message;
    EXPECT_NE(message.find("translations"), std::string::npos) << message;
    EXPECT_NE(error_of(with_service(R"({"service_code": "42", "translations": {}})"))
                  .find("translations"),
              std::string::npos);
}

TEST(Catalogue, MissingServiceNameIsNamed) {
    const auto message = error_of(
        with_service(R"({"service_code": "42", "translations": {"fi": {"description": "x"}}})"));
    EXPECT_NE(message.find("42"), std::string::npos) << message;
    EXPECT_NE(message.find("service_name"), std::string::npos) << message;
}

TEST(Catalogue, NonStringKeywordIsCatalogueError) {
    // parse_catalogue promises CatalogueError (naming the service) for any malformed field.
    const std::string json = with_service(
        R"({"service_code": "42", "translations": {"en": {"service_name": "B", "keywords": ["a", 7]}}})");
    try {
        (void)parse_catalogue(json);
        ADD_FAILURE() << "no exception";
    } catch (const CatalogueError& e) {
        EXPECT_NE(std::string(e.what()).find("42"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("keywords"), std::string::npos) << e.what();
    } catch (const std::exception& e) {
        ADD_FAILURE() << "escaped as another exception type: " << e.what();
    }
}

TEST(Catalogue, KeywordsMayBeAList) {
    auto services = parse_catalogue(with_service(
        R"({"service_code": "42", "translations": {"en": {"service_name": "B", "keywords": ["a", "b c"]}}})"));
    EXPECT_EQ(services.at(0).translations.at("en").keywords, "a,b c");
}

TEST(Catalogue, BadServiceCodeIsRefused) {
    for (const char* code : {"", ".1", "1.", "1..2", "a b", "x/y"}) {
        const auto message = error_of(with_service(std::string(R"({"service_code": ")") + code +
                                                   "\", " + kTranslations + "}"));
        EXPECT_NE(message.find("service_code"), std::string::npos) << code << ": " << message;
    }
}

TEST(Catalogue, BadTypeIsNamed) {
    const auto message = error_of(
        with_service(R"({"service_code": "42", "type": "weekly", )" + kTranslations + "}"));
    EXPECT_NE(message.find("42"), std::string::npos);
    EXPECT_NE(message.find("type"), std::string::npos);
}

TEST(Catalogue, AttributeOrderMustBePositiveAndUnique) {
    EXPECT_NE(error_of(with_service(R"({"service_code": "42", )" + kTranslations + R"(,
        "attributes": [{"code": "A", "datatype": "string"}]})"))
                  .find("order"),
              std::string::npos);
    EXPECT_NE(error_of(with_service(R"({"service_code": "42", )" + kTranslations + R"(,
        "attributes": [{"code": "A", "datatype": "string", "order": 1},
                       {"code": "B", "datatype": "string", "order": 1}]})"))
                  .find("order"),
              std::string::npos);
}

/// The CatalogueError of parsing one service object, strictly or not.
CatalogueError service_error(const std::string& json, UnknownMembers unknown) {
    try {
        (void)parse_service(nlohmann::json::parse(json), unknown);
    } catch (const CatalogueError& e) {
        return e;
    }
    ADD_FAILURE() << "parsed: " << json;
    return CatalogueError("");
}

TEST(Catalogue, ErrorsNameTheFieldByItsPath) {
    auto e = service_error(R"({"service_code": "42", )" + kTranslations + R"(,
        "attributes": [{"code": "A", "datatype": "string", "order": 1},
                       {"code": "B", "datatype": "colour", "order": 2}]})",
                           UnknownMembers::ignore);
    EXPECT_EQ(e.field(), "attributes[1].datatype");
    EXPECT_NE(e.problem().find("must be string"), std::string::npos) << e.problem();

    e = service_error(R"({"service_code": "42", "translations": {"fi": {"description": "x"}}})",
                      UnknownMembers::ignore);
    EXPECT_EQ(e.field(), "translations.fi.service_name");

    e = service_error(R"({"service_code": "42", )" + kTranslations + R"(,
        "attributes": [{"code": "K", "datatype": "singlevaluelist", "order": 1,
                        "values": [{"key": "1"}, {"name": "no key"}]}]})",
                      UnknownMembers::ignore);
    EXPECT_EQ(e.field(), "attributes[0].values[1].key");

    e = service_error(R"({"service_code": "a..b", )" + kTranslations + "}", UnknownMembers::ignore);
    EXPECT_EQ(e.field(), "service_code");
}

TEST(Catalogue, UnknownMembersAreRefusedOnlyWhenAsked) {
    const std::string json = R"({"service_code": "42", "colour": "red",
        "translations": {"en": {"service_name": "B", "slogan": "x"}},
        "attributes": [{"code": "A", "datatype": "string", "order": 1, "hint": "y"}]})";
    EXPECT_NO_THROW((void)parse_service(nlohmann::json::parse(json)));
    EXPECT_EQ(service_error(json, UnknownMembers::refuse).field(), "colour");

    auto nested = nlohmann::json::parse(json);
    nested.erase("colour");
    EXPECT_EQ(service_error(nested.dump(), UnknownMembers::refuse).field(),
              "translations.en.slogan");
    nested["translations"]["en"].erase("slogan");
    EXPECT_EQ(service_error(nested.dump(), UnknownMembers::refuse).field(), "attributes[0].hint");
}

TEST(Catalogue, ServiceToJsonParsesBackStrictly) {
    for (const auto& s : parse_catalogue(demo_text())) {
        auto again = parse_service(nlohmann::json(service_to_json(s)), UnknownMembers::refuse);
        EXPECT_EQ(service_to_json(again), service_to_json(s)) << s.code;
    }
}

}  // namespace
}  // namespace open311::catalogue
