// GeoReport v2 "POST Service Request" and "GET service_request_id from a token", over real
// HTTP, shaped like the bodies FixMyStreet and the Python/Ruby wrappers send.
#include "support/server_fixture.hpp"
#include "support/test_images.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

namespace open311::test {
namespace {

using Fields = std::vector<std::pair<std::string, std::string>>;

/// A valid request for service 171 with `changes` applied: an empty value removes the field,
/// others replace it or are added.
Fields valid(const TestServer& server, const Fields& changes = {}) {
    Fields fields = {{"api_key", server.client_key},
                     {"service_code", "171"},
                     {"lat", "60.1699"},
                     {"long", "24.9384"},
                     {"description", "Iso kuoppa ajoradalla"}};
    for (const auto& [name, value] : changes) {
        const std::string& field = name;  // C++20 lambdas cannot capture a structured binding
        auto it = std::find_if(
            fields.begin(), fields.end(), [&field](const auto& f) { return f.first == field; });
        if (value.empty()) {
            if (it != fields.end()) {
                fields.erase(it);
            }
        } else if (it != fields.end()) {
            it->second = value;
        } else {
            fields.emplace_back(name, value);
        }
    }
    return fields;
}

Response post(TestServer& server,
              const std::string& fmt,
              const std::string& body,
              const std::string& query = "") {
    return server.client().post_form(server.base() + "/requests." + fmt + query, body);
}

/// The id from a JSON POST answer (an array of one object); "" with a test failure otherwise.
std::string json_id(const Response& r) {
    auto j = r.json();
    if (r.status != 200 || !j.is_array() || j.size() != 1 || !j[0].contains("service_request_id")) {
        ADD_FAILURE() << "unexpected answer " << r.status << ": " << r.body;
        return {};
    }
    return j[0]["service_request_id"].get<std::string>();
}

/// POSTs a valid request with `changes` as JSON and returns the stored request.
std::optional<ServiceRequest> accepted(TestServer& server, const Fields& changes) {
    auto id = json_id(post(server, "json", form(valid(server, changes))));
    return id.empty() ? std::nullopt : server.store().find_request(id);
}

/// Checks an error list in JSON: the status of each entry, and that some entry names `field`.
void expect_json_error(const Response& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    auto j = r.json();
    ASSERT_TRUE(j.is_array()) << r.body;
    ASSERT_FALSE(j.empty()) << r.body;
    bool named = false;
    for (const auto& e : j) {
        ASSERT_TRUE(e["code"].is_number_integer()) << r.body;
        EXPECT_EQ(e["code"].get<int>(), status);
        ASSERT_TRUE(e["description"].is_string()) << r.body;
        named = named || e["description"].get<std::string>().find(field) != std::string::npos;
    }
    EXPECT_TRUE(named) << "no error names '" << field << "': " << r.body;
}

void expect_xml_error(const Response& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "text/xml; charset=utf-8");
    auto doc = r.xml();
    bool named = false;
    int count = 0;
    for (auto e : doc->child("errors").children("error")) {
        ++count;
        EXPECT_EQ(e.child("code").text().as_int(), status);
        named = named || std::string(e.child_value("description")).find(field) != std::string::npos;
    }
    EXPECT_GT(count, 0) << r.body;
    EXPECT_TRUE(named) << "no error names '" << field << "': " << r.body;
}

/// POSTs a valid request with `changes` in both formats and expects an error naming `field`.
void expect_rejected(TestServer& server,
                     const Fields& changes,
                     int status,
                     const std::string& field) {
    const auto body = form(valid(server, changes));
    SCOPED_TRACE(body.substr(0, 300));
    expect_json_error(post(server, "json", body), status, field);
    expect_xml_error(post(server, "xml", body), status, field);
}

/// A multipart body with the valid text fields and one `media` file part without Content-Type.
std::string multipart_body(const TestServer& server,
                           const std::string& boundary,
                           const std::string& file) {
    std::string body;
    for (const auto& [name, value] : valid(server, {{"email", "matti@example.org"}})) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    }
    return body + "--" + boundary +
           "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"kuva.jpg\"\r\n\r\n" +
           file + "\r\n--" + boundary + "--\r\n";
}

Response post_multipart(TestServer& server,
                        const std::string& fmt,
                        const std::string& boundary,
                        const std::string& body) {
    return server.client().request("POST",
                                   server.base() + "/requests." + fmt,
                                   body,
                                   {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
}

}  // namespace

TEST(RequestsPost, FormWithoutCharsetAnswersJsonArrayOfOne) {
    TestServer server;
    auto r = post(server, "json", form(valid(server)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "application/json; charset=utf-8");
    auto j = r.json();
    ASSERT_TRUE(j.is_array());
    ASSERT_EQ(j.size(), 1U);
    ASSERT_TRUE(j[0]["service_request_id"].is_string());
    EXPECT_GE(j[0]["service_request_id"].get<std::string>().size(), 20U);
    EXPECT_TRUE(j[0]["service_notice"].is_string());
    EXPECT_FALSE(j[0].contains("account_id"));
    EXPECT_FALSE(j[0].contains("token"));
    auto stored = server.store().find_request(j[0]["service_request_id"].get<std::string>());
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->service_code, "171");
    EXPECT_EQ(stored->state, ModerationState::pending);
    EXPECT_TRUE(stored->can_be_published);  // georeport-v2: absent means publishable
}

TEST(RequestsPost, XmlAnswerIsServiceRequestsRequest) {
    TestServer server;
    auto r = post(server, "xml", form(valid(server)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "text/xml; charset=utf-8");
    auto doc = r.xml();
    auto request = doc->child("service_requests").child("request");
    ASSERT_FALSE(request.empty()) << r.body;
    const std::string id = request.child_value("service_request_id");
    EXPECT_GE(id.size(), 20U);
    EXPECT_FALSE(request.child("service_notice").empty());
    EXPECT_TRUE(request.child("account_id").empty());
    EXPECT_TRUE(server.store().find_request(id).has_value());
}

TEST(RequestsPost, AccountIdIsEchoed) {
    TestServer server;
    const auto body = form(valid(server, {{"account_id", "acct-42"}}));
    auto j = post(server, "json", body).json();
    ASSERT_TRUE(j.is_array());
    EXPECT_EQ(j[0]["account_id"], "acct-42");
    auto doc = post(server, "xml", body).xml();
    auto item = doc->child("service_requests").child("request");
    EXPECT_EQ(std::string(item.child_value("account_id")), "acct-42");
}

TEST(RequestsPost, IdsAreRandomNotSequential) {
    TestServer server;
    std::set<std::string> ids;
    for (int i = 0; i < 6; ++i) {
        ids.insert(json_id(post(server, "json", form(valid(server)))));
    }
    ASSERT_EQ(ids.size(), 6U);
    const std::vector<std::string> list(ids.begin(), ids.end());
    for (const auto& id : list) {
        EXPECT_GE(id.size(), 20U);
        EXPECT_NE(id.find_first_not_of("0123456789"), std::string::npos) << id;
    }
    // Sorted neighbours of random ids share no long prefix; counters would.
    for (std::size_t i = 1; i < list.size(); ++i) {
        const auto& a = list[i - 1];
        const auto common = std::mismatch(a.begin(), a.end(), list[i].begin(), list[i].end());
        EXPECT_LT(common.first - a.begin(), 8) << a << " vs " << list[i];
    }
}

TEST(RequestsPost, CrlfInDescriptionIsPreserved) {
    TestServer server;
    const std::string text = "Rivi yksi\r\nRivi kaksi\r\n\r\nRivi kolme";
    auto id = server.submit_published({{"description", text}});
    ASSERT_FALSE(id.empty());
    EXPECT_EQ(server.store().find_request(id)->description, text);
    auto j = server.client().get(server.base() + "/requests/" + id + ".json").json();
    ASSERT_TRUE(j.is_array());
    EXPECT_EQ(j[0]["description"], text);
}

TEST(RequestsPost, PercentEncodedAttributeKeysAndMultivaluelist) {
    TestServer server;
    // As FixMyStreet sends them: brackets percent-encoded, no charset in the content type.
    std::string body = form(valid(server, {{"service_code", "2806.10.4"}}));
    body +=
        "&attribute%5BWASTE_TYPE%5D=2&attribute%5BACCESS%5D%5B%5D=1"
        "&attribute%5BACCESS%5D%5B%5D=3&attribute%5BBAG_COUNT%5D=3"
        "&attribute[LOCATION_DETAIL]=penkin+vieressa";
    auto stored = server.store().find_request(json_id(post(server, "json", body)));
    ASSERT_TRUE(stored.has_value());
    std::map<std::string, std::vector<std::string>> answers;
    for (const auto& a : stored->attributes) {
        answers[a.code] = a.values;
    }
    using V = std::vector<std::string>;
    EXPECT_EQ(answers["WASTE_TYPE"], V{"2"});
    EXPECT_EQ(answers["ACCESS"], (V{"1", "3"}));
    EXPECT_EQ(answers["BAG_COUNT"], V{"3"});
    EXPECT_EQ(answers["LOCATION_DETAIL"], V{"penkin vieressa"});
}

TEST(RequestsPost, MultipartWithMediaPartWithoutContentType) {
    TestServer server;
    const std::string boundary = "----open311boundary7MA4YWxk";
    // A real JPEG whose bytes look like a delimiter line that is not this body's boundary.
    const auto image = std::string("\xFF\xD8", 2) +
                       test::jpeg_segment(0xFE, "\r\n--not-a-boundary\r\n") + test::jpeg_picture();
    const auto body = multipart_body(server, boundary, image);
    for (const std::string fmt : {"json", "xml"}) {
        auto r = post_multipart(server, fmt, boundary, body);
        ASSERT_EQ(r.status, 200) << fmt << ": " << r.body;
        std::string id = fmt == "json" ? json_id(r)
                                       : r.xml()
                                             ->child("service_requests")
                                             .child("request")
                                             .child_value("service_request_id");
        auto stored = server.store().find_request(id);
        ASSERT_TRUE(stored.has_value()) << fmt;
        EXPECT_EQ(stored->description, "Iso kuoppa ajoradalla");
        EXPECT_EQ(stored->submitter.email, "matti@example.org");
    }
    // The server is still up.
    EXPECT_EQ(server.client().get(server.base() + "/services.json").status, 200);
}

TEST(RequestsPost, MultipartLargerThanTheFormLimitIsAccepted) {
    // Multipart bodies have their own limit (64 MiB by default), above the 1 MiB of other bodies.
    TestServer server;
    const std::string boundary = "open311-big";
    auto r = post_multipart(
        server, "json", boundary, multipart_body(server, boundary, test::large_jpeg(2 << 20)));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(server.store().find_request(json_id(r)).has_value());
}

TEST(RequestsPost, ApiKeyMissingWrongRevokedOrExpiredIs403) {
    TestServer server;
    const auto revoked = server.create_key("revoked-client", Role::client);
    ASSERT_TRUE(server.store().revoke_key("revoked-client", now()));
    const auto expired = server.create_key("expired-client", Role::client, now() - 2 * 86400);
    for (const std::string& key :
         {std::string(), std::string("o311_wrongwrongwrong"), revoked, expired}) {
        expect_rejected(server, {{"api_key", key}}, 403, "api_key");
    }
    // A key that expires tomorrow still works.
    const auto fresh = server.create_key("fresh-client", Role::client, now() + 86400);
    EXPECT_TRUE(accepted(server, {{"api_key", fresh}}).has_value());
}

TEST(RequestsPost, ApiKeyIsAcceptedFromTheQueryString) {
    TestServer server;
    const auto body = form(valid(server, {{"api_key", ""}}));
    auto r = post(server, "json", body, "?api_key=" + form_encode(server.client_key));
    EXPECT_FALSE(json_id(r).empty());
    auto x = post(server, "xml", body, "?api_key=" + form_encode(server.client_key));
    EXPECT_EQ(x.status, 200) << x.body;
    EXPECT_FALSE(
        x.xml()->child("service_requests").child("request").child("service_request_id").empty());
}

TEST(RequestsPost, ServiceCodeMissingIs400UnknownIs404) {
    TestServer server;
    expect_rejected(server, {{"service_code", ""}}, 400, "service_code");
    expect_rejected(server, {{"service_code", "9999.1"}}, 404, "service_code");
}

TEST(RequestsPost, DescriptionLengthCountsCharactersNotBytes) {
    TestServer server;
    std::string umlauts;
    for (int i = 0; i < 4000; ++i) {
        umlauts += "ä";
    }
    auto stored = accepted(server, {{"description", umlauts}});
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->description, umlauts);
    // Surrounding white space is not counted.
    EXPECT_TRUE(accepted(server, {{"description", "  " + umlauts + "\r\n"}}).has_value());
    expect_rejected(server, {{"description", umlauts + "ö"}}, 400, "description");
    expect_rejected(server, {{"description", std::string(4001, 'a')}}, 400, "description");
}

TEST(RequestsPost, HtmlAndLongTitlesAreRejectedButLoneAngleBracketsAreText) {
    TestServer server;
    for (const std::string html :
         {"<b>kuoppa</b>", "kuoppa</p>", "<script src=x>", "a <!-- x --> b"}) {
        expect_rejected(server, {{"description", html}}, 400, "description");
    }
    expect_rejected(server, {{"title", "<i>otsikko</i>"}}, 400, "title");
    expect_rejected(server, {{"title", std::string(101, 't')}}, 400, "title");
    EXPECT_TRUE(accepted(server, {{"title", std::string(100, 't')}}).has_value());
    auto stored = accepted(server, {{"description", "a < b and c > d <3"}});
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->description, "a < b and c > d <3");
}

TEST(RequestsPost, LocationErrorsNameTheField) {
    TestServer server;
    expect_rejected(server, {{"long", ""}}, 400, "long");
    expect_rejected(server, {{"long", ""}, {"lon", "24.9384"}}, 400, "'long'");
    expect_rejected(server, {{"long", ""}, {"lng", "24.9384"}}, 400, "'long'");
    expect_rejected(server, {{"lat", "91"}}, 400, "lat");
    expect_rejected(server, {{"long", "24,9384"}}, 400, "long");
    expect_rejected(server, {{"lat", ""}, {"long", ""}}, 400, "location");
    expect_rejected(server,
                    {{"lat", ""}, {"long", ""}, {"service_object_id", "123"}},
                    400,
                    "service_object_type");
}

TEST(RequestsPost, OtherLocationsAreAcceptedInTheDefaultProfile) {
    TestServer server;
    auto by_address =
        accepted(server, {{"lat", ""}, {"long", ""}, {"address_string", "Aleksanterinkatu 1"}});
    ASSERT_TRUE(by_address.has_value());
    EXPECT_EQ(by_address->address, "Aleksanterinkatu 1");
    EXPECT_FALSE(by_address->lat.has_value());
    auto by_object =
        accepted(server,
                 {{"lat", ""},
                  {"long", ""},
                  {"service_object_id", "12345"},
                  {"service_object_type", "https://www.hel.fi/palvelukarttaws/rest/v4/unit/"}});
    ASSERT_TRUE(by_object.has_value());
    EXPECT_EQ(by_object->service_object_id, "12345");
    auto by_address_id = accepted(server, {{"lat", ""}, {"long", ""}, {"address_id", "A-77"}});
    ASSERT_TRUE(by_address_id.has_value());
    EXPECT_EQ(by_address_id->address_id, "A-77");
}

TEST(RequestsPost, BadEmailAndBadPublicationFlagAre400) {
    TestServer server;
    expect_rejected(server, {{"email", "not-an-address"}}, 400, "email");
    expect_rejected(server, {{"email", "matti@@example.org"}}, 400, "email");
    expect_rejected(server, {{"can_be_published", "maybe"}}, 400, "can_be_published");
    auto stored = accepted(server, {{"can_be_published", "true"}, {"email", "matti@example.org"}});
    ASSERT_TRUE(stored.has_value());
    EXPECT_TRUE(stored->can_be_published);
}

TEST(RequestsPost, AttributesAreCheckedAgainstTheDefinition) {
    TestServer server;
    const Fields waste = {{"service_code", "2806.10.4"}};
    auto plus = [&waste](const Fields& more) {
        Fields out = waste;
        out.insert(out.end(), more.begin(), more.end());
        return out;
    };
    expect_rejected(server, waste, 400, "WASTE_TYPE");
    expect_rejected(server, plus({{"attribute[WASTE_TYPE]", "9"}}), 400, "WASTE_TYPE");
    const Fields ok = {{"attribute[WASTE_TYPE]", "1"}};
    expect_rejected(server, plus({ok[0], {"attribute[BAG_COUNT]", "many"}}), 400, "BAG_COUNT");
    expect_rejected(server, plus({ok[0], {"attribute[ACCESS][]", "7"}}), 400, "ACCESS");
    expect_rejected(
        server, plus({ok[0], {"attribute[OBSERVED_AT]", "2024-04-04 15:30"}}), 400, "OBSERVED_AT");
    EXPECT_TRUE(accepted(server, plus({{"attribute[WASTE_TYPE]", "4"}})).has_value());
}

TEST(RequestsPost, UnknownExtraParametersAreIgnored) {
    TestServer server;
    auto fields = valid(server,
                        {{"jurisdiction_id", "hel.fi"},
                         {"page_size", "10"},
                         {"update_id", "77"},
                         {"title", "Kuoppa"},
                         {"address_string", "Mannerheimintie 1"},
                         {"device_id", "dev-1"},
                         {"first_name", "Matti"},
                         {"last_name", "Meikäläinen"},
                         {"phone", "+358401234567"},
                         {"something_else", "x"}});
    fields.emplace_back("media_url", "https://example.org/a.jpg");
    fields.emplace_back("media_url", "https://example.org/b.jpg");
    auto x = post(server, "xml", form(fields));
    EXPECT_EQ(x.status, 200) << x.body;
    auto stored = server.store().find_request(json_id(post(server, "json", form(fields))));
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->title, "Kuoppa");
    EXPECT_EQ(stored->media_urls,
              (std::vector<std::string>{"https://example.org/a.jpg", "https://example.org/b.jpg"}));
}

TEST(RequestsPost, BatchServiceAnswersATokenThatResolvesUnknownTokenIs404) {
    TestServer server;
    const auto body = form(valid(server, {{"service_code", "2809.1"}}));
    auto r = post(server, "json", body);
    ASSERT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    ASSERT_TRUE(j.is_array() && j.size() == 1U) << r.body;
    EXPECT_FALSE(j[0].contains("service_request_id")) << r.body;
    ASSERT_TRUE(j[0]["token"].is_string()) << r.body;
    const auto token = j[0]["token"].get<std::string>();
    EXPECT_FALSE(token.empty());

    auto t = server.client().get(server.base() + "/tokens/" + token + ".json");
    ASSERT_EQ(t.status, 200) << t.body;
    auto tj = t.json();
    ASSERT_TRUE(tj.is_array() && tj.size() == 1U) << t.body;
    EXPECT_EQ(tj[0]["token"], token);
    const auto id = tj[0]["service_request_id"].get<std::string>();
    ASSERT_TRUE(server.store().find_request(id).has_value());
    EXPECT_EQ(server.store().find_request(id)->service_code, "2809.1");

    auto x = server.client().get(server.base() + "/tokens/" + token + ".xml");
    ASSERT_EQ(x.status, 200) << x.body;
    auto doc = x.xml();
    auto item = doc->child("service_requests").child("request");
    EXPECT_EQ(std::string(item.child_value("service_request_id")), id);
    EXPECT_EQ(std::string(item.child_value("token")), token);

    // The XML POST answer of a batch service carries a token too.
    auto px = post(server, "xml", body).xml();
    auto posted = px->child("service_requests").child("request");
    EXPECT_FALSE(std::string(posted.child_value("token")).empty());
    EXPECT_TRUE(posted.child("service_request_id").empty());

    auto unknown = server.client().get(server.base() + "/tokens/nosuchtoken.json");
    expect_json_error(unknown, 404, "token");
    expect_xml_error(server.client().get(server.base() + "/tokens/nosuchtoken.xml"), 404, "token");
}

}  // namespace open311::test
