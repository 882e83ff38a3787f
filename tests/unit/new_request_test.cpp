#include "validate/new_request.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace open311::validate {
namespace {

Profile helsinki() {
    return *profile_by_name("helsinki");
}

Service waste() {
    Service s;
    s.code = "2806.10.4";
    s.translations["en"] = {"Waste", "", "", ""};
    Attribute kind;
    kind.code = "WASTE_TYPE";
    kind.datatype = Datatype::singlevaluelist;
    kind.required = true;
    kind.order = 1;
    kind.values = {{"1", {}}, {"2", {}}};
    Attribute access;
    access.code = "ACCESS";
    access.datatype = Datatype::multivaluelist;
    access.order = 2;
    access.values = {{"1", {}}, {"2", {}}, {"3", {}}};
    Attribute bags;
    bags.code = "BAG_COUNT";
    bags.datatype = Datatype::number;
    bags.order = 3;
    Attribute seen;
    seen.code = "OBSERVED_AT";
    seen.datatype = Datatype::datetime;
    seen.order = 4;
    s.attributes = {kind, access, bags, seen};
    return s;
}

Service simple() {
    Service s;
    s.code = "171";
    s.translations["en"] = {"Potholes", "", "", ""};
    return s;
}

/// A valid body for `simple()` in either profile, plus `extra` form pairs.
std::string valid_form(const std::string& extra = "") {
    return "service_code=171&lat=60.1699&long=24.9384&description=Kuoppa+tiell%C3%A4+on+iso" +
           (extra.empty() ? "" : "&" + extra);
}

std::vector<ApiError> check(const std::string& body,
                            const Profile& profile = Profile{},
                            const Service& service = simple()) {
    ServiceRequest out;
    return new_request(form::parse_form(body), service, profile, out);
}

ServiceRequest accepted(const std::string& body,
                        const Profile& profile = Profile{},
                        const Service& service = simple()) {
    ServiceRequest out;
    auto errors = new_request(form::parse_form(body), service, profile, out);
    EXPECT_TRUE(errors.empty()) << body << " → "
                                << (errors.empty() ? "" : errors.front().description);
    return out;
}

/// True when exactly the errors are bad_request and one of them begins with `field`.
bool names(const std::vector<ApiError>& errors, const std::string& field) {
    for (const auto& e : errors) {
        if (e.code != ErrorCode::bad_request) {
            return false;
        }
    }
    for (const auto& e : errors) {
        if (e.description.rfind(field, 0) == 0) {
            return true;
        }
    }
    return false;
}

std::string repeat(const std::string& unit, int n) {
    std::string out;
    for (int i = 0; i < n; ++i) {
        out += unit;
    }
    return out;
}

const std::string kAe = "%C3%A4";  // "ä": 2 bytes, 1 code point

TEST(NewRequest, ValidRequestIsAcceptedAndCopied) {
    auto r =
        accepted(valid_form("title=Kuoppa&email=matti%40example.org&first_name=Matti&phone=040"));
    EXPECT_EQ(r.service_code, "171");
    EXPECT_EQ(r.description, "Kuoppa tiell\xC3\xA4 on iso");
    ASSERT_TRUE(r.lat && r.lon);
    EXPECT_DOUBLE_EQ(*r.lat, 60.1699);
    EXPECT_DOUBLE_EQ(*r.lon, 24.9384);
    EXPECT_EQ(r.title, "Kuoppa");
    EXPECT_EQ(r.submitter.email, "matti@example.org");
    EXPECT_EQ(r.submitter.first_name, "Matti");
    EXPECT_TRUE(r.can_be_published);  // georeport-v2: absent means publishable
}

TEST(NewRequest, CanBePublishedDefaultsByProfileAndAnExplicitValueWins) {
    EXPECT_FALSE(accepted(valid_form(), helsinki()).can_be_published);  // H2024: default false
    EXPECT_FALSE(accepted(valid_form("can_be_published=false")).can_be_published);
    EXPECT_TRUE(accepted(valid_form("can_be_published=true"), helsinki()).can_be_published);
}

TEST(NewRequest, DescriptionOptionalInGeoreport) {
    EXPECT_TRUE(check("lat=60.1&long=24.9").empty());
}

TEST(NewRequest, DescriptionRequiredInHelsinki) {
    EXPECT_TRUE(names(check("lat=60.1&long=24.9", helsinki()), "description"));
}

TEST(NewRequest, WhitespaceOnlyDescriptionIsEmpty) {
    EXPECT_TRUE(
        names(check("lat=60.1&long=24.9&description=+%C2%A0%0D%0A+", helsinki()), "description"));
    auto r = accepted("lat=60.1&long=24.9&description=+%0D%0A+");
    EXPECT_EQ(r.description, "");
}

TEST(NewRequest, HelsinkiMinimumCountsCodePointsAfterTrim) {
    // 10 × "ä" is 20 bytes but 10 characters: accepted.
    EXPECT_TRUE(check("lat=60.1&long=24.9&description=" + repeat(kAe, 10), helsinki()).empty());
    // 9 characters padded with spaces is still 9.
    EXPECT_TRUE(
        names(check("lat=60.1&long=24.9&description=++" + repeat(kAe, 9) + "++", helsinki()),
              "description"));
}

TEST(NewRequest, HelsinkiMaximumIs5000Characters) {
    EXPECT_TRUE(check("lat=60.1&long=24.9&description=" + repeat(kAe, 5000), helsinki()).empty());
    EXPECT_TRUE(names(check("lat=60.1&long=24.9&description=" + repeat(kAe, 5001), helsinki()),
                      "description"));
}

TEST(NewRequest, GeoreportMaximumIs4000Characters) {
    EXPECT_TRUE(check("lat=60.1&long=24.9&description=" + repeat(kAe, 4000)).empty());
    EXPECT_TRUE(names(check("lat=60.1&long=24.9&description=" + repeat("a", 4001)), "description"));
}

TEST(NewRequest, DescriptionWithHtmlIsRefused) {
    EXPECT_TRUE(names(check(valid_form() + "+%3Cb%3Ebold%3C%2Fb%3E"), "description"));
    EXPECT_TRUE(
        names(check("lat=60.1&long=24.9&description=see+%3C!--+x+--%3E+here"), "description"));
}

TEST(NewRequest, DescriptionWithLoneAngleBracketsIsFine) {
    auto r = accepted("lat=60.1&long=24.9&description=a+%3C+b+and+5+%3E+3+%3C3");
    EXPECT_EQ(r.description, "a < b and 5 > 3 <3");
}

TEST(NewRequest, DescriptionMustBeUtf8) {
    EXPECT_TRUE(names(check("lat=60.1&long=24.9&description=bad%FFbyte"), "description"));
}

TEST(NewRequest, DescriptionKeepsCrlf) {
    auto r = accepted("lat=60.1&long=24.9&description=one%0D%0Atwo");
    EXPECT_EQ(r.description, "one\r\ntwo");
}

TEST(NewRequest, TitleOver100CharactersIsRefused) {
    EXPECT_TRUE(accepted(valid_form("title=" + repeat(kAe, 100))).title.size() == 200U);
    EXPECT_TRUE(names(check(valid_form("title=" + repeat("t", 101))), "title"));
}

TEST(NewRequest, LatWithoutLongIsRefused) {
    EXPECT_TRUE(names(check("description=x&lat=60.1"), "long"));
    EXPECT_TRUE(names(check("description=x&long=24.9"), "lat"));
}

TEST(NewRequest, LonAliasIsRefusedWithHintAboutLong) {
    for (const char* alias : {"lon", "lng"}) {
        auto errors = check(std::string("description=x&lat=60.1&") + alias + "=24.9");
        ASSERT_FALSE(errors.empty()) << alias;
        EXPECT_TRUE(names(errors, alias)) << alias;
        bool mentions_long = false;
        for (const auto& e : errors) {
            mentions_long = mentions_long || e.description.find("'long'") != std::string::npos;
        }
        EXPECT_TRUE(mentions_long) << alias;
    }
}

TEST(NewRequest, OutOfRangeCoordinatesAreRefused) {
    EXPECT_TRUE(names(check("lat=91&long=24.9"), "lat"));
    EXPECT_TRUE(names(check("lat=-90.5&long=24.9"), "lat"));
    EXPECT_TRUE(names(check("lat=60.1&long=180.01"), "long"));
    EXPECT_TRUE(check("lat=-90&long=180").empty());
}

TEST(NewRequest, CommaDecimalCoordinatesAreRefused) {
    EXPECT_TRUE(names(check("lat=60%2C1&long=24.9"), "lat"));
    EXPECT_TRUE(names(check("lat=60.1&long=abc"), "long"));
}

TEST(NewRequest, ServiceObjectIdNeedsType) {
    EXPECT_TRUE(names(check("description=x&service_object_id=H1234"), "service_object_type"));
    auto r =
        accepted("description=x&service_object_id=H1234&service_object_type=https%3A%2F%2Fx%2Fstop",
                 Profile{});
    EXPECT_EQ(r.service_object_id, "H1234");
    EXPECT_TRUE(
        check("description=Kuoppa+tiell%C3%A4+on&service_object_id=H1&service_object_type=t",
              helsinki())
            .empty());
}

TEST(NewRequest, LocationIsRequired) {
    EXPECT_TRUE(names(check("description=no+location+given"), "location"));
    EXPECT_TRUE(names(check("description=no+location+given+here", helsinki()), "location"));
}

TEST(NewRequest, AddressStringIsALocationInGeoreportOnly) {
    auto r = accepted("description=x&address_string=Mannerheimintie+1");
    EXPECT_EQ(r.address, "Mannerheimintie 1");
    EXPECT_TRUE(names(
        check("description=Kuoppa+tiell%C3%A4+on&address_string=Mannerheimintie+1", helsinki()),
        "location"));
}

TEST(NewRequest, AddressIdIsALocationInGeoreportOnly) {
    EXPECT_TRUE(check("description=x&address_id=A-17").empty());
    EXPECT_TRUE(
        names(check("description=Kuoppa+tiell%C3%A4+on&address_id=A-17", helsinki()), "location"));
}

TEST(NewRequest, AddressStringBesideLatLongIsAccepted) {
    EXPECT_TRUE(check(valid_form("address_string=Mannerheimintie+1"), helsinki()).empty());
}

TEST(NewRequest, EmailSyntaxIsChecked) {
    for (const char* bad : {"not-an-email",
                            "a%40b",
                            "%40example.org",
                            "a%40%40example.org",
                            "a+b%40example.org+x",
                            "a%40example..org",
                            "a%40example.org."}) {
        EXPECT_TRUE(names(check(valid_form(std::string("email=") + bad)), "email")) << bad;
    }
    EXPECT_TRUE(check(valid_form("email=first.last%2Btag%40sub.example.fi")).empty());
}

TEST(NewRequest, CanBePublishedValues) {
    EXPECT_TRUE(accepted(valid_form("can_be_published=true")).can_be_published);
    EXPECT_TRUE(accepted(valid_form("can_be_published=TRUE")).can_be_published);
    EXPECT_FALSE(accepted(valid_form("can_be_published=false")).can_be_published);
    // An empty parameter counts as absent: the profile's default.
    EXPECT_TRUE(accepted(valid_form("can_be_published=")).can_be_published);
    EXPECT_FALSE(accepted(valid_form("can_be_published="), helsinki()).can_be_published);
    EXPECT_TRUE(names(check(valid_form("can_be_published=yes")), "can_be_published"));
}

TEST(NewRequest, UnknownExtraParametersAreIgnored) {
    EXPECT_TRUE(
        check(valid_form("jurisdiction_id=hel.fi&api_key=&update_id=5&page_size=3")).empty());
}

TEST(NewRequest, MediaUrlsMustBeHttp) {
    auto r = accepted(valid_form(
        "media_url=https%3A%2F%2Fa.example%2F1.jpg&media_url=http%3A%2F%2Fb.example%2F2.png"));
    EXPECT_EQ(r.media_urls.size(), 2U);
    EXPECT_TRUE(names(check(valid_form("media_url=javascript%3Aalert(1)")), "media_url"));
}

TEST(NewRequest, MediaUrlsMustNameAnImage) {
    // Helsinki: "URL links must end with a correct filetype like .jpg".
    EXPECT_TRUE(names(check(valid_form("media_url=http%3A%2F%2Fb.example%2F2")), "media_url"));
    EXPECT_TRUE(
        names(check(valid_form("media_url=https%3A%2F%2Fb.example%2Freadme.txt")), "media_url"));
}

TEST(NewRequest, MediaUrlMustBeValidUtf8) {
    // Every other text field refuses invalid UTF-8; a media_url is echoed in public answers too.
    EXPECT_TRUE(
        names(check(valid_form("media_url=https%3A%2F%2Fa.example%2F%FF%FE.jpg")), "media_url"));
}

TEST(NewRequest, RequiredAttributeMissing) {
    EXPECT_TRUE(names(check(valid_form(), Profile{}, waste()), "attribute[WASTE_TYPE]"));
}

TEST(NewRequest, AttributesAcceptedAndCopied) {
    auto r = accepted(valid_form("attribute%5BWASTE_TYPE%5D=2&attribute%5BACCESS%5D%5B%5D=1&"
                                 "attribute%5BACCESS%5D%5B%5D=3&attribute%5BBAG_COUNT%5D=4&"
                                 "attribute%5BOBSERVED_AT%5D=2024-06-01T12%3A00%3A00%2B03%3A00"),
                      Profile{},
                      waste());
    ASSERT_EQ(r.attributes.size(), 4U);
    EXPECT_EQ(r.attributes[0].code, "WASTE_TYPE");
    EXPECT_EQ(r.attributes[0].values, std::vector<std::string>{"2"});
    EXPECT_EQ(r.attributes[1].code, "ACCESS");
    EXPECT_EQ(r.attributes[1].values, (std::vector<std::string>{"1", "3"}));
}

TEST(NewRequest, SinglevaluelistValueMustBeListed) {
    EXPECT_TRUE(names(check(valid_form("attribute%5BWASTE_TYPE%5D=9"), Profile{}, waste()),
                      "attribute[WASTE_TYPE]"));
}

TEST(NewRequest, SinglevaluelistTakesOneValue) {
    EXPECT_TRUE(names(
        check(valid_form("attribute[WASTE_TYPE]=1&attribute[WASTE_TYPE]=2"), Profile{}, waste()),
        "attribute[WASTE_TYPE]"));
}

TEST(NewRequest, MultivaluelistValuesMustBeListed) {
    EXPECT_TRUE(names(check(valid_form("attribute[WASTE_TYPE]=1&attribute%5BACCESS%5D%5B%5D=1&"
                                       "attribute%5BACCESS%5D%5B%5D=7"),
                            Profile{},
                            waste()),
                      "attribute[ACCESS]"));
}

TEST(NewRequest, NumberAttributeMustBeNumeric) {
    EXPECT_TRUE(names(
        check(valid_form("attribute[WASTE_TYPE]=1&attribute[BAG_COUNT]=many"), Profile{}, waste()),
        "attribute[BAG_COUNT]"));
    EXPECT_TRUE(names(
        check(valid_form("attribute[WASTE_TYPE]=1&attribute[BAG_COUNT]=1%2C5"), Profile{}, waste()),
        "attribute[BAG_COUNT]"));
    EXPECT_TRUE(
        check(valid_form("attribute[WASTE_TYPE]=1&attribute[BAG_COUNT]=2.5"), Profile{}, waste())
            .empty());
}

TEST(NewRequest, DatetimeAttributeNeedsOffset) {
    EXPECT_TRUE(names(
        check(valid_form("attribute[WASTE_TYPE]=1&attribute[OBSERVED_AT]=2024-06-01T12%3A00%3A00"),
              Profile{},
              waste()),
        "attribute[OBSERVED_AT]"));
}

TEST(NewRequest, UnknownAttributeCodeIsIgnored) {
    // FixMyStreet sends attribute[report_url], attribute[fixmystreet_id], … to every endpoint.
    auto r =
        accepted(valid_form("attribute[WASTE_TYPE]=1&attribute[COLOUR]=red"), Profile{}, waste());
    ASSERT_EQ(r.attributes.size(), 1U);
    EXPECT_EQ(r.attributes[0].code, "WASTE_TYPE");
    EXPECT_TRUE(accepted(valid_form("attribute[COLOUR]=red")).attributes.empty());
}

TEST(NewRequest, MalformedAttributeKeyIsIgnored) {
    auto r = accepted(
        valid_form("attribute[WASTE_TYPE]=1&attribute[]=x&attribute[A][b]=y"), Profile{}, waste());
    EXPECT_EQ(r.attributes.size(), 1U);
}

TEST(NewRequest, RepeatedMultivalueAnswersAreDeduplicatedAndBounded) {
    auto r =
        accepted(valid_form("attribute[WASTE_TYPE]=1&attribute[ACCESS][]=2&attribute[ACCESS][]=2"),
                 Profile{},
                 waste());
    ASSERT_EQ(r.attributes.size(), 2U);
    EXPECT_EQ(r.attributes[1].code, "ACCESS");
    EXPECT_EQ(r.attributes[1].values, std::vector<std::string>{"2"});
    std::string many = "attribute[WASTE_TYPE]=1";
    for (int i = 0; i < 150; ++i) {
        many += "&attribute[ACCESS][]=v" + std::to_string(i);
    }
    EXPECT_TRUE(names(check(valid_form(many), Profile{}, waste()), "attribute[ACCESS]"));
}

TEST(NewRequest, ControlCharactersAreRefused) {
    const std::string located = "service_code=171&lat=60.1699&long=24.9384&";
    EXPECT_TRUE(names(check(located + "description=Kuoppa%00kadulla+on+iso"), "description"));
    EXPECT_TRUE(names(check(located + "description=Kuoppa+kadulla%EF%BF%BE+on"), "description"));
    EXPECT_TRUE(names(check(valid_form("title=a%1Bb")), "title"));
    EXPECT_TRUE(check(located + "description=Kuoppa%09kadulla%0D%0Aon+iso").empty());
}

TEST(NewRequest, AllProblemsReportedAtOnce) {
    auto errors =
        check("lat=95&long=24.9&email=nope&title=" + repeat("t", 101) + "&can_be_published=maybe");
    EXPECT_TRUE(names(errors, "lat"));
    EXPECT_TRUE(names(errors, "email"));
    EXPECT_TRUE(names(errors, "title"));
    EXPECT_TRUE(names(errors, "can_be_published"));
    EXPECT_GE(errors.size(), 4U);
}

}  // namespace
}  // namespace open311::validate
