// The tree-free writer of public requests must produce exactly the bytes of the reference path
// (public_request trees through write_json / write_xml) on every shape and awkward content.
#include "format/request_writer.hpp"

#include "format/document.hpp"
#include "format/trees.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace open311::format {
namespace {

ServiceRequest plain_request() {
    ServiceRequest r;
    r.id = "2g8rlg8ricmctfo21agm";
    r.service_code = "171";
    r.status = "open";
    r.description = "Iso kuoppa ajoradalla";
    r.requested_at = 1717243200;
    r.updated_at = 1717246800;
    r.lat = 60.1699;
    r.lon = 24.9384;
    return r;
}

/// Every member filled with text that needs escaping in one format or the other.
ServiceRequest awkward_request() {
    ServiceRequest r = plain_request();
    r.id = "abc";
    r.status = "closed";
    r.detailed_status = "CLOSED,RESOLVED";
    r.status_notes = "Korjattu <b>heti</b> & \"nopeasti\" 'tänään'";
    r.title = "Kuoppa \\ tie / katu";
    r.description = "Rivi 1\r\nRivi 2\ttab \x7f Ääkköset 🚧 \u2028 </request>";
    r.agency_responsible = "Kaupunkiympäristö";
    r.service_notice = "";
    r.expected_at = 1717329600;
    r.address = "Mannerheimintie 1 > 2";
    r.address_id = "x&y";
    r.zipcode = "00100";
    r.lat = 60.0;
    r.lon = 25.000000001;
    r.service_object_type = "https://api.hel.fi/servicemap/v2/";
    r.service_object_id = "8215";
    r.media_urls = {"https://example.org/a.jpg?x=1&y=2", "https://example.org/b.png"};
    return r;
}

std::string reference(Format format,
                      const std::vector<PublicRequestItem>& items,
                      bool extensions,
                      bool single,
                      const Profile& profile) {
    auto list = nlohmann::ordered_json::array();
    for (const auto& item : items) {
        list.push_back(public_request(*item.request, *item.service_name, extensions, item.detail));
    }
    Document doc{
        "service_requests", std::move(list), single ? Shape::single_request : Shape::plain};
    return format == Format::json ? write_json(doc, profile) : write_xml(doc);
}

void expect_same(const std::vector<PublicRequestItem>& items, bool single, const Profile& profile) {
    for (Format format : {Format::json, Format::xml}) {
        for (bool extensions : {false, true}) {
            auto fast = write_public_requests(format, items, extensions, single, profile);
            ASSERT_TRUE(fast.has_value());
            EXPECT_EQ(*fast, reference(format, items, extensions, single, profile))
                << (format == Format::json ? "json" : "xml") << " extensions=" << extensions;
        }
    }
}

const std::string kName = "Katu- ja tievauriot";
const std::string kAwkwardName = "Roskat & <jätteet> \"sisällä\"";

TEST(RequestWriter, ListsMatchTheTreePath) {
    auto a = plain_request();
    auto b = awkward_request();
    auto c = plain_request();
    c.lat.reset();
    c.lon.reset();
    c.id = "no-location";
    expect_same({{&a, &kName}, {&b, &kAwkwardName}, {&c, &kName}}, false, Profile{});
}

TEST(RequestWriter, AnEmptyListMatchesTheTreePath) {
    expect_same({}, false, Profile{});
}

TEST(RequestWriter, SingleRequestsFollowTheProfileShape) {
    auto b = awkward_request();
    expect_same({{&b, &kAwkwardName}}, true, Profile{});
    expect_same({{&b, &kAwkwardName}}, true, *profile_by_name("helsinki"));
}

TEST(RequestWriter, PartialDetailMatchesTheTreePath) {
    auto b = awkward_request();
    expect_same({{&b, &kName, Detail::partial}}, true, Profile{});
    expect_same({{&b, &kName, Detail::partial}}, true, *profile_by_name("helsinki"));
}

/// A request with every optional value unset and every text empty.
ServiceRequest bare_request() {
    ServiceRequest r;
    r.id = "bare";
    r.service_code = "171";
    r.status = "open";
    r.requested_at = 1717243200;
    r.updated_at = 1717243200;
    return r;
}

Profile with_empty_value(Profile profile, EmptyValue empty) {
    profile.empty_value_json = empty;
    return profile;
}

TEST(RequestWriter, EmptyValuesMatchTheTreePathWithEitherSetting) {
    auto a = bare_request();
    auto b = awkward_request();
    auto c = plain_request();  // a location, but no expected datetime and no photo
    for (const auto& base : {Profile{}, *profile_by_name("helsinki")}) {
        for (EmptyValue empty : {EmptyValue::empty_string, EmptyValue::null}) {
            const auto profile = with_empty_value(base, empty);
            expect_same({{&a, &kName}, {&b, &kAwkwardName}, {&c, &kName}}, false, profile);
            expect_same({{&a, &kName}}, true, profile);
            expect_same({{&a, &kName, Detail::partial}}, true, profile);
        }
    }
}

TEST(RequestWriter, EmptyValuesAreWrittenAsTheSettingSays) {
    auto a = bare_request();
    const std::vector<PublicRequestItem> items = {{&a, &kName}};
    for (EmptyValue empty : {EmptyValue::empty_string, EmptyValue::null}) {
        const auto profile = with_empty_value(Profile{}, empty);
        const auto expected = empty == EmptyValue::null ? nlohmann::json() : nlohmann::json("");
        auto json = write_public_requests(Format::json, items, true, false, profile);
        ASSERT_TRUE(json.has_value());
        const auto parsed = nlohmann::json::parse(*json);
        for (const char* name : {"expected_datetime", "lat", "long", "media_url"}) {
            ASSERT_TRUE(parsed[0].contains(name)) << name;
            EXPECT_EQ(parsed[0][name], expected) << name;
        }
        EXPECT_EQ(parsed[0]["extended_attributes"]["detailed_status"], expected);
        // XML does not depend on the setting: an empty element either way.
        auto xml = write_public_requests(Format::xml, items, true, false, profile);
        ASSERT_TRUE(xml.has_value());
        for (const char* name : {"expected_datetime", "lat", "long", "media_url"}) {
            const std::string element = std::string("<") + name + "></" + name + ">";
            EXPECT_NE(xml->find(element), std::string::npos) << element << " in " << *xml;
        }
        EXPECT_EQ(*xml, *write_public_requests(Format::xml, items, true, false, Profile{}));
    }
}

TEST(RequestWriter, NumbersAreWrittenAsTheJsonLibraryWritesThem) {
    for (double v : {0.0, -0.0, 1e-7, 123456789012345678.0, 60.13, 24.78, -179.999999}) {
        auto r = plain_request();
        r.lat = v;
        r.lon = -v;
        expect_same({{&r, &kName}}, false, Profile{});
    }
}

TEST(RequestWriter, TextThatIsNotPlainUtf8IsLeftToTheTreePath) {
    auto r = plain_request();
    r.description = "rikki \xff\xfe tavu";
    EXPECT_FALSE(write_public_requests(Format::json, {{&r, &kName}}, false, false, Profile{}));
    EXPECT_FALSE(write_public_requests(Format::xml, {{&r, &kName}}, false, false, Profile{}));
    r.description = "ohjausmerkki \x01";  // JSON escapes it; XML 1.0 cannot carry it
    EXPECT_TRUE(write_public_requests(Format::json, {{&r, &kName}}, false, false, Profile{}));
    EXPECT_FALSE(write_public_requests(Format::xml, {{&r, &kName}}, false, false, Profile{}));
}

}  // namespace
}  // namespace open311::format
