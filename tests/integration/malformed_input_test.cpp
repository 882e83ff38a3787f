// Input that cannot be read as sent: malformed percent-escapes and text that is not UTF-8, in
// form bodies and in the query string of every route, and media_url values that name no image
// (Helsinki: "URL links must end with a correct filetype like .jpg"). Each is a 400 naming the
// field, in both formats and both profiles, and nothing is stored.
#include "support/media_helpers.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace open311::test::malformed_input {  // its own: unity builds share anonymous namespaces
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

const std::vector<std::string> kProfiles = {"georeport-v2", "helsinki"};
const std::vector<std::string> kFormats = {"json", "xml"};
const std::vector<std::string> kBadDescriptions = {
    "Bad%ZZescape", "Trailing+percent%", "Half%4Gscape"};

std::function<void(Config&)> with_profile(const std::string& name) {
    return [name](Config& c) {
        c.profile = *profile_by_name(name);
    };
}

/// The descriptions of an error answer in either format; fails the test for anything else.
std::vector<std::string> errors_of(const Response& r, const std::string& fmt) {
    std::vector<std::string> out;
    if (fmt == "json") {
        auto j = r.json();
        EXPECT_TRUE(j.is_array()) << r.body;
        for (const auto& e : j) {
            out.push_back(e.value("description", ""));
        }
    } else {
        auto x = r.xml();
        for (auto e : x->child("errors").children("error")) {
            out.emplace_back(e.child_value("description"));
        }
    }
    EXPECT_FALSE(out.empty()) << r.body;
    return out;
}

/// True when one of the errors is about `field` (starts with "field: ").
bool names(const std::vector<std::string>& errors, const std::string& field) {
    return std::any_of(errors.begin(), errors.end(), [&field](const std::string& e) {
        return e.rfind(field + ": ", 0) == 0;
    });
}

/// A valid new request for service 171 as a form body, without `description`.
std::string body_without_description(const TestServer& server) {
    return form({{"api_key", server.client_key},
                 {"service_code", "171"},
                 {"lat", "60.1699"},
                 {"long", "24.9384"},
                 {"can_be_published", "true"}});
}

Response post_request(const TestServer& server, const std::string& fmt, const std::string& body) {
    return server.client().post_form(server.base() + "/requests." + fmt, body);
}

TEST(MalformedInput, FormBodyEscapesAreRefusedByName) {
    for (const auto& profile : kProfiles) {
        TestServer server(with_profile(profile));
        for (const auto& fmt : kFormats) {
            for (const auto& raw : kBadDescriptions) {
                SCOPED_TRACE(profile + " " + fmt + " " + raw);
                auto r = post_request(
                    server, fmt, body_without_description(server) + "&description=" + raw);
                ASSERT_EQ(r.status, 400) << r.body;
                auto errors = errors_of(r, fmt);
                ASSERT_EQ(errors.size(), 1U) << r.body;
                EXPECT_TRUE(names(errors, "description")) << r.body;
                EXPECT_NE(errors[0].find("percent"), std::string::npos) << r.body;
            }
        }
        EXPECT_EQ(server.stored_requests(), 0);
        // The same text, correctly encoded, is fine.
        auto ok = post_request(
            server, "json", body_without_description(server) + "&description=Bad%25ZZescape");
        EXPECT_EQ(ok.status, 200) << ok.body;
    }
}

TEST(MalformedInput, EveryMalformedFieldIsNamedAtOnce) {
    TestServer server;
    for (const auto& fmt : kFormats) {
        auto r = post_request(server,
                              fmt,
                              body_without_description(server) +
                                  "&description=Bad%ZZescape&title=%FF%FE&first_name=x%2&"
                                  "last_name=ok&attribute%5BX%ZZ=1");
        ASSERT_EQ(r.status, 400) << r.body;
        auto errors = errors_of(r, fmt);
        EXPECT_EQ(errors.size(), 4U) << r.body;
        EXPECT_TRUE(names(errors, "description")) << r.body;
        EXPECT_TRUE(names(errors, "title")) << r.body;
        EXPECT_TRUE(names(errors, "first_name")) << r.body;
        EXPECT_TRUE(names(errors, "attribute[X%ZZ")) << r.body;  // a malformed name
        EXPECT_FALSE(names(errors, "last_name")) << r.body;
    }
    EXPECT_EQ(server.stored_requests(), 0);
}

TEST(MalformedInput, KeyAndServiceCodeAreRefusedBeforeTheyAreLookedUp) {
    TestServer server;
    // Not a 403 (unknown key) or a 404 (unknown service): the client sent something else.
    auto key = post_request(
        server, "json", "api_key=abc%ZZ&service_code=171&lat=60.17&long=24.94&description=x");
    EXPECT_EQ(key.status, 400) << key.body;
    EXPECT_TRUE(names(errors_of(key, "json"), "api_key")) << key.body;
    auto code =
        post_request(server,
                     "xml",
                     form({{"api_key", server.client_key}, {"lat", "60.17"}, {"long", "24.94"}}) +
                         "&service_code=17%ZZ");
    EXPECT_EQ(code.status, 400) << code.body;
    EXPECT_TRUE(names(errors_of(code, "xml"), "service_code")) << code.body;
    // In the query string of a POST as well.
    auto query = server.client().post_form(server.base() + "/requests.json?api_key=%G0",
                                           body_without_description(server));
    EXPECT_EQ(query.status, 400) << query.body;
    EXPECT_TRUE(names(errors_of(query, "json"), "api_key")) << query.body;
    EXPECT_EQ(server.stored_requests(), 0);
}

TEST(MalformedInput, UpdateBodiesAreCheckedTheSameWay) {
    for (const auto& profile : kProfiles) {
        TestServer server(with_profile(profile));
        const auto id = server.submit_published();
        const auto fields = form({{"api_key", server.client_key},
                                  {"service_request_id", id},
                                  {"update_id", "fms-1"},
                                  {"updated_datetime", "2026-05-01T10:00:00+03:00"},
                                  {"status", "OPEN"}});
        for (const auto& fmt : kFormats) {
            for (const auto& raw : kBadDescriptions) {
                SCOPED_TRACE(profile + " " + fmt + " " + raw);
                auto r =
                    server.client().post_form(server.base() + "/servicerequestupdates." + fmt,
                                              fields + "&description=" + raw + "+and+more+words");
                ASSERT_EQ(r.status, 400) << r.body;
                auto errors = errors_of(r, fmt);
                EXPECT_EQ(errors.size(), 1U) << r.body;
                EXPECT_TRUE(names(errors, "description")) << r.body;
            }
        }
    }
}

TEST(MalformedInput, MultipartTextFieldsMustBeUtf8ButAreNotDecoded) {
    TestServer server;
    // A multipart field is sent as it is: not UTF-8 is refused by name, before the service
    // code is looked up (it used to be a 404 quoting the raw bytes).
    auto r = post_upload(server,
                         multipart_upload({{"api_key", server.client_key},
                                           {"service_code", "\xFF\xFE"},
                                           {"lat", "60.17"},
                                           {"long", "24.94"},
                                           {"description", "Broken \xC3\x28 text here"}},
                                          {}));
    ASSERT_EQ(r.status, 400) << r.body;
    auto errors = errors_of(r, "json");
    EXPECT_EQ(errors.size(), 2U) << r.body;
    EXPECT_TRUE(names(errors, "service_code")) << r.body;
    EXPECT_TRUE(names(errors, "description")) << r.body;
    EXPECT_EQ(server.stored_requests(), 0);

    // '%' means nothing in a multipart field.
    auto ok = post_upload(server,
                          multipart_upload(request_fields(server, {{"title", "100%ZZ sure"}}), {}));
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto id = ok.json()[0]["service_request_id"].get<std::string>();
    EXPECT_EQ(server.store().find_request(id)->title, "100%ZZ sure");
}

TEST(MalformedInput, QueryEscapesAreRefusedOnEveryGet) {
    TestServer server;
    const auto id = server.submit_published();
    struct Target {
        std::string path;
        std::string query;
        std::string field;  ///< the parameter the error must name
    };
    const std::vector<Target> targets = {
        {"/discovery", "?locale=%ZZ", "locale"},
        {"/services", "?jurisdiction_id=%", "jurisdiction_id"},
        {"/services/171", "?locale=fi%Z", "locale"},
        {"/requests", "?service_code=17%ZZ", "service_code"},
        {"/requests", "?status=open&service_code=%FF%FE", "service_code"},
        {"/requests/" + id, "?extensions=tr%ue", "extensions"},
        {"/tokens/nosuchtoken", "?jurisdiction_id=%4G", "jurisdiction_id"},
        {"/servicerequestupdates", "?start_date=%ZZ", "start_date"},
        {"/update_tokens/nosuchtoken", "?x%ZZ=1", "x%ZZ"},
    };
    for (const auto& fmt : kFormats) {
        for (const auto& t : targets) {
            SCOPED_TRACE(fmt + " " + t.path + t.query);
            auto r = server.client().get(server.base() + t.path + "." + fmt + t.query);
            ASSERT_EQ(r.status, 400) << r.body;
            auto errors = errors_of(r, fmt);
            ASSERT_EQ(errors.size(), 1U) << r.body;
            EXPECT_TRUE(names(errors, t.field)) << r.body;
        }
    }
    auto head = server.client().request("HEAD", server.base() + "/requests.json?status=%ZZ");
    EXPECT_EQ(head.status, 400);
    auto staff = server.client().get(
        "/admin/v1/requests?status=%ZZ",
        std::map<std::string, std::string>{{"Authorization", "Bearer " + server.staff_key}});
    EXPECT_EQ(staff.status, 400) << staff.body;
    EXPECT_TRUE(names(errors_of(staff, "json"), "status")) << staff.body;
}

TEST(MalformedInput, QueryValuesMustBeUtf8InBothProfiles) {
    for (const auto& profile : kProfiles) {
        TestServer server(with_profile(profile));
        server.submit_published();
        for (const auto& fmt : kFormats) {
            SCOPED_TRACE(profile + " " + fmt);
            // Used to answer 200 with an empty list.
            auto r = server.client().get(server.base() + "/requests." + fmt +
                                         "?service_code=%FF%FE&extensions=true");
            ASSERT_EQ(r.status, 400) << r.body;
            auto errors = errors_of(r, fmt);
            ASSERT_EQ(errors.size(), 1U) << r.body;
            EXPECT_EQ(errors[0], "service_code: not valid UTF-8 text");
            auto escape = server.client().get(server.base() + "/requests." + fmt +
                                              "?service_code=17%ZZ&status=cl%sed");
            ASSERT_EQ(escape.status, 400) << escape.body;
            auto both = errors_of(escape, fmt);
            EXPECT_EQ(both.size(), 2U) << escape.body;
            EXPECT_TRUE(names(both, "service_code")) << escape.body;
            EXPECT_TRUE(names(both, "status")) << escape.body;
        }
    }
}

TEST(MalformedInput, MediaUrlMustNameAnImage) {
    for (const auto& profile : kProfiles) {
        TestServer server(with_profile(profile));
        const Fields base = {{"api_key", server.client_key},
                             {"service_code", "171"},
                             {"lat", "60.1699"},
                             {"long", "24.9384"},
                             {"description", "A large pothole in the street"}};
        for (const auto& fmt : kFormats) {
            for (const std::string url : {"https://example.com/readme.txt",
                                          "https://example.com/photo",
                                          "https://example.com/photo.jpg.exe",
                                          "https://example.jpg",
                                          "ftp://example.com/a.jpg"}) {
                SCOPED_TRACE(profile + " " + fmt + " " + url);
                Fields fields = base;
                fields.emplace_back("media_url", url);
                auto r = post_request(server, fmt, form(fields));
                ASSERT_EQ(r.status, 400) << r.body;
                auto errors = errors_of(r, fmt);
                ASSERT_EQ(errors.size(), 1U) << r.body;
                EXPECT_TRUE(names(errors, "media_url")) << r.body;
            }
        }
        EXPECT_EQ(server.stored_requests(), 0);
        Fields fields = base;
        for (const char* url : {"https://example.com/a.JPG",
                                "http://example.com/b.jpeg",
                                "https://example.com/c.png?size=large",
                                "https://example.com/d/e.gif#top",
                                "https://example.com/f.webp"}) {
            fields.emplace_back("media_url", url);
        }
        auto ok = post_request(server, "json", form(fields));
        ASSERT_EQ(ok.status, 200) << ok.body;
        auto id = ok.json()[0]["service_request_id"].get<std::string>();
        EXPECT_EQ(server.store().find_request(id)->media_urls.size(), 5U);
    }
}

TEST(MalformedInput, MediaUrlOfAnUpdateNeedsNoImageSuffix) {
    // No document restricts an update's media_url beyond http(s) (FMS: "any associated media").
    TestServer server;
    const auto id = server.submit_published();
    auto r = server.client().post_form(server.base() + "/servicerequestupdates.json",
                                       form({{"api_key", server.client_key},
                                             {"service_request_id", id},
                                             {"update_id", "fms-2"},
                                             {"updated_datetime", "2026-05-01T10:00:00+03:00"},
                                             {"status", "OPEN"},
                                             {"description", "Still there, see the report."},
                                             {"media_url", "https://example.com/report"}}));
    EXPECT_EQ(r.status, 200) << r.body;
}

}  // namespace
}  // namespace open311::test::malformed_input
