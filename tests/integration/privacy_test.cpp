// The submitter's personal data never leaves the server through a public endpoint (issue 2,
// "Fields"): no personal field name as a key or element, no personal value anywhere in a body.
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace open311::test {
namespace {

// Distinctive values, so that a match can only be a leak.
const std::vector<std::pair<std::string, std::string>> kPersonal = {
    {"email", "zebulonia.quxworthy@example.fi"},
    {"first_name", "Zebulonia"},
    {"last_name", "Quxworthy"},
    {"phone", "+358409876543"},
    {"device_id", "device-c0ffee-5150"},
    {"account_id", "acct-PRIV-9271"},
};

const std::vector<std::string> kPersonalNames = {
    "email", "first_name", "last_name", "phone", "device_id", "account_id"};

/// Checks one public answer: parsed in its format, no personal key, no personal value.
void expect_no_personal_data(const Response& r,
                             const std::string& what,
                             bool account_id_allowed = false) {
    SCOPED_TRACE(what);
    std::vector<std::string> names;
    const bool json = r.header("Content-Type").find("json") != std::string::npos;
    if (json) {
        collect_keys(r.json(), names);
    } else {
        auto doc = r.xml();
        collect_names(*doc, names);
    }
    EXPECT_FALSE(names.empty()) << "empty document: " << r.body;
    for (const auto& name : kPersonalNames) {
        if (account_id_allowed && name == "account_id") {
            continue;
        }
        EXPECT_EQ(std::count(names.begin(), names.end(), name), 0) << name << " in " << r.body;
    }
    for (const auto& [field, value] : kPersonal) {
        if (account_id_allowed && field == "account_id") {
            continue;
        }
        EXPECT_EQ(r.body.find(value), std::string::npos) << field << " value in " << r.body;
    }
}

std::vector<std::pair<std::string, std::string>> with_personal(
    std::vector<std::pair<std::string, std::string>> fields) {
    fields.insert(fields.end(), kPersonal.begin(), kPersonal.end());
    return fields;
}

Response get_ok(const TestServer& server, const std::string& path) {
    auto r = server.client().get(server.base() + path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return r;
}

}  // namespace

TEST(Privacy, PostAnswerEchoesOnlyAccountId) {
    TestServer server;
    auto fields = with_personal({{"api_key", server.client_key},
                                 {"service_code", "171"},
                                 {"lat", "60.1699"},
                                 {"long", "24.9384"},
                                 {"description", "Kuoppa tiessä"}});
    for (const char* suffix : {".json", ".xml"}) {
        auto r = server.client().post_form(server.base() + "/requests" + suffix, form(fields));
        ASSERT_EQ(r.status, 200) << r.body;
        expect_no_personal_data(r, std::string("POST requests") + suffix, true);
    }
    auto r = server.client().post_form(server.base() + "/requests.json", form(fields));
    auto j = r.json();
    ASSERT_TRUE(j.is_array() && j.size() == 1) << r.body;
    EXPECT_EQ(j[0].value("account_id", ""), "acct-PRIV-9271");
}

TEST(Privacy, NoPersonalDataInAnyPublicAnswer) {
    TestServer server;
    auto pending = server.submit(with_personal({{"address_string", "Mannerheimintie 5"}}));
    auto published = server.submit_published(with_personal({{"title", "Kuoppa"}}));
    ASSERT_FALSE(pending.empty());
    ASSERT_FALSE(published.empty());

    std::vector<std::string> paths = {
        "/requests.json",
        "/requests.xml",
        "/requests.json?extensions=true",
        "/requests.xml?extensions=true",
        "/requests.json?service_request_id=" + pending + "," + published,
        "/requests.xml?service_request_id=" + pending + "," + published + "&extensions=true",
        "/requests.json?lat=60.1699&long=24.9384&radius=500",
        "/requests/" + pending + ".json",
        "/requests/" + pending + ".xml",
        "/requests/" + pending + ".json?extensions=true",
        "/requests/" + pending + ".xml?extensions=true",
        "/requests/" + published + ".json",
        "/requests/" + published + ".xml",
        "/requests/" + published + ".json?extensions=true",
        "/requests/" + published + ".xml?extensions=true",
    };
    for (const auto& path : paths) {
        expect_no_personal_data(get_ok(server, path), path);
    }

    // The published list really holds the request, so the checks above saw its fields.
    auto list = get_ok(server, "/requests.json?extensions=true").json();
    ASSERT_EQ(list.size(), 1U) << list.dump();
    EXPECT_EQ(list[0].value("service_request_id", ""), published);
    EXPECT_EQ(list[0]["extended_attributes"].value("title", ""), "Kuoppa");

    // Once the pending one is published too, its full view must stay clean as well.
    server.publish(pending);
    for (const char* suffix : {".json", ".xml"}) {
        auto path = "/requests/" + pending + suffix + "?extensions=true";
        auto r = get_ok(server, path);
        expect_no_personal_data(r, path);
    }
    auto full = get_ok(server, "/requests/" + pending + ".json").json();
    ASSERT_TRUE(full.is_array() && full.size() == 1);
    EXPECT_EQ(full[0].value("address", ""), "Mannerheimintie 5");
    expect_no_personal_data(get_ok(server, "/requests.xml?extensions=true"),
                            "list after publishing");
}

TEST(Privacy, TokensCarryNoPersonalData) {
    TestServer server;
    auto fields = with_personal({{"api_key", server.client_key},
                                 {"service_code", "2809.1"},
                                 {"lat", "60.1699"},
                                 {"long", "24.9384"},
                                 {"description", "Eräpalaute"},
                                 {"can_be_published", "true"}});
    auto post = server.client().post_form(server.base() + "/requests.json", form(fields));
    ASSERT_EQ(post.status, 200) << post.body;
    expect_no_personal_data(post, "POST batch", true);
    auto j = post.json();
    ASSERT_TRUE(j.is_array() && j.size() == 1) << post.body;
    const auto token = j[0].value("token", "");
    ASSERT_FALSE(token.empty()) << post.body;

    for (const char* suffix : {".json", ".xml"}) {
        auto path = "/tokens/" + token + suffix;
        auto r = get_ok(server, path);
        expect_no_personal_data(r, path);
    }
    auto resolved = get_ok(server, "/tokens/" + token + ".json").json();
    ASSERT_TRUE(resolved.is_array() && resolved.size() == 1) << resolved.dump();
    const auto id = resolved[0].value("service_request_id", "");
    ASSERT_FALSE(id.empty());
    server.publish(id);
    for (const char* suffix : {".json", ".xml"}) {
        auto path = "/requests/" + id + suffix + "?extensions=true";
        expect_no_personal_data(get_ok(server, path), path);
    }
}

TEST(Privacy, MultipartSubmissionKeepsPersonalDataPrivate) {
    TestServer server;
    const std::string boundary = "privacyBoundary7MA4YWxk";
    auto fields = with_personal({{"api_key", server.client_key},
                                 {"service_code", "171"},
                                 {"lat", "60.1699"},
                                 {"long", "24.9384"},
                                 {"description", "Monipalapalaute"},
                                 {"can_be_published", "true"}});
    std::string body;
    for (const auto& [name, value] : fields) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    }
    body += "--" + boundary + "--\r\n";
    auto post =
        server.client().request("POST",
                                server.base() + "/requests.xml",
                                body,
                                {{"Content-Type", "multipart/form-data; boundary=" + boundary}});
    ASSERT_EQ(post.status, 200) << post.body;
    expect_no_personal_data(post, "POST multipart", true);
    auto id = std::string(
        post.xml()->child("service_requests").child("request").child_value("service_request_id"));
    ASSERT_FALSE(id.empty()) << post.body;
    server.publish(id);
    for (const char* path : {"/requests.json?extensions=true", "/requests.xml?extensions=true"}) {
        auto r = get_ok(server, path);
        expect_no_personal_data(r, path);
    }
    auto r = get_ok(server, "/requests/" + id + ".xml?extensions=true");
    expect_no_personal_data(r, "multipart by id");
    EXPECT_STREQ(r.xml()->child("service_requests").child("request").child_value("description"),
                 "Monipalapalaute");
}

}  // namespace open311::test
