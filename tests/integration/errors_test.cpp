// Error answers: 404 for unknown paths, 405 with Allow, 400/404 for jurisdictions, 413, malformed
// bodies and requests; the body is always an errors list in the requested format.
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace open311::test {
namespace {

/// Checks a JSON error body: exactly [{"code": <int>, "description": "..."}, ...].
void expect_json_errors(const Response& r, int status, const std::string& mention = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), kJsonType);
    auto j = r.json();
    ASSERT_TRUE(j.is_array()) << r.body;
    ASSERT_FALSE(j.empty()) << r.body;
    bool mentioned = mention.empty();
    for (const auto& e : j) {
        ASSERT_TRUE(e.is_object()) << r.body;
        EXPECT_EQ(e.size(), 2U) << r.body;
        ASSERT_TRUE(e["code"].is_number_integer()) << r.body;
        EXPECT_EQ(e["code"].get<int>(), status);
        ASSERT_TRUE(e["description"].is_string()) << r.body;
        EXPECT_FALSE(e["description"].get<std::string>().empty());
        mentioned =
            mentioned || e["description"].get<std::string>().find(mention) != std::string::npos;
    }
    EXPECT_TRUE(mentioned) << "no error mentions '" << mention << "': " << r.body;
}

/// Checks an XML error body: exactly <errors><error><code/><description/></error>...</errors>.
void expect_xml_errors(const Response& r, int status, const std::string& mention = "") {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.header("Content-Type"), kXmlType);
    auto doc = r.xml();
    auto root = doc->child("errors");
    ASSERT_FALSE(root.empty()) << r.body;
    EXPECT_TRUE(root == doc->document_element());
    bool mentioned = mention.empty();
    int count = 0;
    for (auto e : root.children()) {
        ++count;
        EXPECT_STREQ(e.name(), "error");
        std::vector<std::string> names;
        for (auto c : e.children()) {
            names.emplace_back(c.name());
        }
        EXPECT_EQ(names, (std::vector<std::string>{"code", "description"}));
        EXPECT_EQ(e.child("code").text().as_int(), status);
        EXPECT_FALSE(std::string(e.child_value("description")).empty());
        mentioned = mentioned ||
                    std::string(e.child_value("description")).find(mention) != std::string::npos;
    }
    EXPECT_GT(count, 0);
    EXPECT_TRUE(mentioned) << "no error mentions '" << mention << "': " << r.body;
}

std::set<std::string> allow_set(const std::string& header) {
    std::set<std::string> out;
    std::size_t start = 0;
    while (start <= header.size()) {
        auto end = header.find(',', start);
        if (end == std::string::npos) {
            end = header.size();
        }
        auto item = header.substr(start, end - start);
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) {
            out.insert(item);
        }
        start = end + 1;
    }
    return out;
}

/// Splits a raw HTTP/1.1 answer into its status code and body.
std::pair<int, std::string> parse_raw(const std::string& raw) {
    const auto space = raw.find(' ');
    const auto head_end = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.1 ", 0) != 0 || space == std::string::npos ||
        head_end == std::string::npos) {
        ADD_FAILURE() << "not an HTTP answer: " << raw.substr(0, 200);
        return {0, {}};
    }
    return {std::stoi(raw.substr(space + 1, 3)), raw.substr(head_end + 4)};
}

}  // namespace

TEST(Errors, DeleteOnRequestsIs405WithAllow) {
    TestServer server;
    auto json = server.client().request("DELETE", server.base() + "/requests.json");
    expect_json_errors(json, 405, "DELETE");
    auto allowed = allow_set(json.header("Allow"));
    EXPECT_TRUE(allowed.count("GET") == 1 && allowed.count("POST") == 1) << json.header("Allow");
    EXPECT_EQ(allowed.count("DELETE"), 0U);

    auto xml = server.client().request("DELETE", server.base() + "/requests.xml");
    expect_xml_errors(xml, 405, "DELETE");
    EXPECT_EQ(allow_set(xml.header("Allow")), allowed);
}

TEST(RequestsGet, ByIdUnknownIs404) {
    TestServer server;
    const std::string path = server.base() + "/requests/nosuchrequest";
    expect_json_errors(server.client().get(path + ".json"), 404, "service_request_id");
    expect_xml_errors(server.client().get(path + ".xml"), 404, "service_request_id");
    expect_xml_errors(
        server.client().get(path + ".xml?extensions=true"), 404, "service_request_id");
}

TEST(Errors, WrongMethodOnOtherResourcesIs405) {
    TestServer server;
    auto r = server.client().request("PUT",
                                     server.base() + "/services.json",
                                     "x=1",
                                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    expect_json_errors(r, 405);
    auto allowed = allow_set(r.header("Allow"));
    EXPECT_EQ(allowed.count("GET"), 1U);
    EXPECT_EQ(allowed.count("POST"), 0U);
    auto post = server.client().post_form(server.base() + "/requests/abc.xml", "x=1");
    expect_xml_errors(post, 405);
    EXPECT_EQ(allow_set(post.header("Allow")).count("GET"), 1U);
}

TEST(Errors, UnknownPathUnderBaseIs404InTheRequestedFormat) {
    TestServer server;
    auto c = server.client();
    expect_json_errors(c.get(server.base() + "/nothing.json"), 404);
    expect_xml_errors(c.get(server.base() + "/nothing.xml"), 404);
    expect_json_errors(c.get(server.base() + "/nothing", {{"Accept", "application/json"}}), 404);
    expect_xml_errors(c.get(server.base() + "/nothing"), 404);
    expect_json_errors(c.get(server.base() + "/requests/a/b.json"), 404);
    expect_xml_errors(c.get(server.base() + "/services/171/extra.xml"), 404);
}

TEST(Errors, PathOutsideTheBaseIs404) {
    TestServer server;
    expect_json_errors(server.client().get("/open311/v1/services.json"), 404);
    expect_xml_errors(server.client().get("/services.xml"), 404);
}

TEST(Errors, SeveralJurisdictionsMakeTheParameterRequired) {
    TestServer server([](Config& c) { c.jurisdictions = {"hel.fi", "espoo.fi"}; });
    auto c = server.client();
    expect_json_errors(c.get(server.base() + "/services.json"), 400, "jurisdiction_id");
    expect_xml_errors(c.get(server.base() + "/requests.xml"), 400, "jurisdiction_id");
    expect_json_errors(
        c.get(server.base() + "/services.json?jurisdiction_id=vantaa.fi"), 404, "jurisdiction_id");
    auto ok = c.get(server.base() + "/services.json?jurisdiction_id=espoo.fi");
    EXPECT_EQ(ok.status, 200);
    EXPECT_TRUE(ok.json().is_array());
    auto post = c.post_form(server.base() + "/requests.xml",
                            form({{"api_key", server.client_key},
                                  {"service_code", "171"},
                                  {"lat", "60.17"},
                                  {"long", "24.94"}}));
    expect_xml_errors(post, 400, "jurisdiction_id");
}

TEST(Errors, UnsupportedContentTypeOnPostIs400) {
    TestServer server;
    auto r = server.client().request("POST",
                                     server.base() + "/requests.json",
                                     R"({"service_code":"171"})",
                                     {{"Content-Type", "application/json"}});
    expect_json_errors(r, 400, "Content-Type");
}

TEST(Errors, MalformedMultipartIs400NotACrash) {
    TestServer server;
    auto c = server.client();
    auto no_boundary = c.request("POST",
                                 server.base() + "/requests.json",
                                 "--x\r\n\r\n",
                                 {{"Content-Type", "multipart/form-data"}});
    expect_json_errors(no_boundary, 400, "multipart");
    auto truncated = c.request("POST",
                               server.base() + "/requests.xml",
                               "--b\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nabc",
                               {{"Content-Type", "multipart/form-data; boundary=b"}});
    expect_xml_errors(truncated, 400, "multipart");
    EXPECT_EQ(c.get(server.base() + "/discovery.json").status, 200);
}

TEST(Errors, BodyOverTheLimitIs413) {
    TestServer server([](Config& c) { c.max_body_bytes = 1024; });
    auto body = form({{"api_key", server.client_key}, {"description", std::string(4096, 'a')}});
    expect_json_errors(server.client().post_form(server.base() + "/requests.json", body), 413);
    expect_xml_errors(server.client().post_form(server.base() + "/requests.xml", body), 413);
}

TEST(Errors, MalformedHttpGetsA400Answer) {
    TestServer server;
    auto [status, body] = parse_raw(server.client().send_raw("NOT AN HTTP REQUEST\r\n\r\n"));
    EXPECT_EQ(status, 400);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(body.c_str())) << body;
    EXPECT_EQ(doc.child("errors").child("error").child("code").text().as_int(), 400);
    // The server still serves.
    EXPECT_EQ(server.client().get(server.base() + "/services.xml").status, 200);
}

TEST(Errors, ErrorCodesInJsonAreIntegersForEveryStatus) {
    TestServer server;
    auto c = server.client();
    expect_json_errors(
        c.post_form(server.base() + "/requests.json", "service_code=171"), 403, "api_key");
    expect_json_errors(c.get(server.base() + "/requests.json?status=nope"), 400, "status");
    expect_json_errors(c.get(server.base() + "/tokens/none.json"), 404, "token");
    expect_xml_errors(
        c.post_form(server.base() + "/requests.xml", "service_code=171"), 403, "api_key");
}

}  // namespace open311::test
