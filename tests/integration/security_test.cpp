// Security checks: hostile input is plain data, malformed UTF-8 is refused and never stored,
// markup is refused or escaped, staff routes refuse client keys, keys are stored as hashes,
// personal data stays out of the log, and every answer carries the security headers.
#include "support/server_fixture.hpp"
#include "util/random.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sqlite3.h>

#include <sstream>

namespace open311::test {
namespace {

const std::vector<std::string> kInjections = {
    "' OR '1'='1",
    "1; DROP TABLE requests; --",
    "\" OR \"\"=\"",
    "x') UNION SELECT email, phone FROM request_submitters --",
    "%27%20OR%201=1",
};

void expect_security_headers(const Response& r, const std::string& what) {
    SCOPED_TRACE(what);
    EXPECT_EQ(r.header("X-Content-Type-Options"), "nosniff");
    EXPECT_NE(r.header("Content-Security-Policy").find("default-src 'none'"), std::string::npos);
    EXPECT_EQ(r.header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(r.header("X-Frame-Options"), "DENY");
}

}  // namespace

TEST(Security, SqlInjectionInEveryQueryParameterIsPlainData) {
    TestServer server;
    const auto id = server.submit_published();
    const std::vector<std::string> params = {"service_request_id",
                                             "service_code",
                                             "start_date",
                                             "end_date",
                                             "updated_after",
                                             "updated_before",
                                             "status",
                                             "detailed_status",
                                             "lat",
                                             "long",
                                             "radius",
                                             "bbox",
                                             "page",
                                             "page_size",
                                             "locale",
                                             "service_object_type",
                                             "service_object_id",
                                             "jurisdiction_id",
                                             "extensions",
                                             "api_key"};
    for (const auto& param : params) {
        for (const auto& attack : kInjections) {
            auto r = server.client().get(server.base() + "/requests.json?" + param + "=" +
                                         form_encode(attack));
            SCOPED_TRACE(param + "=" + attack);
            EXPECT_TRUE(r.status == 200 || r.status == 400) << r.status << " " << r.body;
            if (r.status == 200) {
                // A filter that matched everything would return the one request for any value.
                auto j = r.json();
                ASSERT_TRUE(j.is_array());
                for (const auto& item : j) {
                    EXPECT_FALSE(item.contains("email"));
                }
            }
        }
    }
    for (const auto& attack : kInjections) {
        auto r = server.client().get(server.base() + "/requests/" + form_encode(attack) + ".json");
        EXPECT_EQ(r.status, 404) << attack;
        auto s = server.client().get(server.base() + "/services/" + form_encode(attack) + ".json");
        EXPECT_EQ(s.status, 404) << attack;
    }
    EXPECT_EQ(server.stored_requests(), 1);
    EXPECT_EQ(server.client().get(server.base() + "/requests/" + id + ".json").status, 200);
}

TEST(Security, SqlInjectionInPostFieldsIsStoredVerbatim) {
    TestServer server;
    for (const auto& attack : kInjections) {
        const std::string text = "Kuoppa " + attack;
        const auto id = server.submit({{"description", text},
                                       {"address_string", attack},
                                       {"first_name", attack},
                                       {"service_object_type", "bench"},
                                       {"service_object_id", "x" + attack}});
        ASSERT_FALSE(id.empty()) << attack;
        auto stored = server.store().find_request(id);
        ASSERT_TRUE(stored.has_value());
        EXPECT_EQ(stored->description, text);
        EXPECT_EQ(stored->submitter.first_name, attack);
    }
    // Injection in the service code or key is refused, not run.
    auto r = server.client().post_form(
        server.base() + "/requests.json",
        form({{"api_key", "' OR 1=1 --"}, {"service_code", "171' OR '1'='1"}}));
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(server.stored_requests(), static_cast<std::int64_t>(kInjections.size()));
}

TEST(Security, MalformedUtf8IsRefusedAndNeverStored) {
    TestServer server;
    const std::vector<std::string> bad = {
        "\xC3\x28",              // broken two-byte sequence
        "\xC0\xAF",              // overlong '/'
        "\xE0\x80\xAF",          // overlong, three bytes
        "\xED\xA0\x80",          // UTF-16 surrogate
        "\xF4\x90\x80\x80",      // beyond U+10FFFF
        "\xF8\x88\x80\x80\x80",  // five-byte form
        "\xFF",
        std::string("nul\0byte", 8),
    };
    for (const auto& bytes : bad) {
        for (const char* field : {"description", "address_string", "first_name", "title"}) {
            std::vector<std::pair<std::string, std::string>> fields = {
                {"api_key", server.client_key},
                {"service_code", "171"},
                {"lat", "60.17"},
                {"long", "24.94"}};
            fields.emplace_back(field, "ok " + bytes + " text");
            if (std::string(field) != "description") {
                fields.emplace_back("description", "Kuoppa");
            }
            auto r = server.client().post_form(server.base() + "/requests.json", form(fields));
            EXPECT_EQ(r.status, 400) << field << " " << r.body;
            auto j = r.json();  // the error itself is valid JSON
            ASSERT_TRUE(j.is_array());
        }
    }
    EXPECT_EQ(server.stored_requests(), 0);
}

TEST(Security, MarkupIsRefusedOrEscapedInBothFormats) {
    TestServer server;
    auto refused = server.client().post_form(server.base() + "/requests.json",
                                             form({{"api_key", server.client_key},
                                                   {"service_code", "171"},
                                                   {"lat", "60.17"},
                                                   {"long", "24.94"},
                                                   {"description", "<script>alert(1)</script>"}}));
    EXPECT_EQ(refused.status, 400) << refused.body;
    // Text with the characters of markup, that is not markup, is kept and escaped.
    const std::string tricky = "Penkki & roskis \"rikki\" ]]> 'a<b' x>y";
    const auto id = server.submit_published({{"description", tricky}});
    ASSERT_FALSE(id.empty());
    auto json = server.client().get(server.base() + "/requests/" + id + ".json");
    ASSERT_EQ(json.status, 200);
    EXPECT_EQ(json.json()[0]["description"], tricky);
    auto xml = server.client().get(server.base() + "/requests/" + id + ".xml");
    ASSERT_EQ(xml.status, 200);
    auto doc = xml.xml();
    EXPECT_EQ(
        std::string(doc->child("service_requests").child("request").child_value("description")),
        tricky);
    EXPECT_EQ(xml.body.find("<script"), std::string::npos);
}

TEST(Security, PathTraversalFindsNothing) {
    TestServer server;
    for (const std::string path : {"/open311/v2/../../../etc/passwd",
                                   "/open311/v2/%2e%2e/%2e%2e/etc/passwd",
                                   "/open311/v2/services/..%2f..%2fetc%2fpasswd.json",
                                   "/..%2f..%2fetc/passwd",
                                   "/open311/v2/requests/%00.json"}) {
        auto r = server.client().get(path);
        EXPECT_EQ(r.status, 404) << path << " " << r.body;
        EXPECT_EQ(r.body.find("root:"), std::string::npos);
    }
}

TEST(Security, StaffRoutesRefuseClientKeys) {
    TestServer server;
    const auto id = server.submit();
    const std::map<std::string, std::string> client = {
        {"Authorization", "Bearer " + server.client_key}};
    EXPECT_EQ(server.client().get("/admin/v1/requests", client).status, 403);
    EXPECT_EQ(server.client().get("/admin/v1/requests/" + id, client).status, 403);
    for (const char* action : {"publish", "reject", "unpublish"}) {
        EXPECT_EQ(server.client()
                      .request("POST", "/admin/v1/requests/" + id + "/" + action, "", client)
                      .status,
                  403)
            << action;
    }
    EXPECT_EQ(server.client().get("/admin/v1/keys/test-client/usage", client).status, 403);
    // The api_key parameter is not a way in either.
    EXPECT_EQ(server.client().get("/admin/v1/requests?api_key=" + server.staff_key).status, 401);
    EXPECT_EQ(server.store().find_request(id)->state, ModerationState::pending);
}

TEST(Security, KeysAreStoredOnlyAsHashes) {
    TestServer server;
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open_v2(server.config().db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr),
              SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    ASSERT_EQ(
        sqlite3_prepare_v2(
            db, "SELECT name, secret_hash, prefix FROM api_keys ORDER BY name", -1, &stmt, nullptr),
        SQLITE_OK);
    int rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        ++rows;
        const std::string hash = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1));
        const std::string prefix = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 2));
        EXPECT_EQ(hash.size(), 64U);
        for (const auto& secret : {server.client_key, server.staff_key, server.admin_key}) {
            EXPECT_NE(hash, secret);
            EXPECT_EQ(hash.find(secret.substr(9)), std::string::npos);
            EXPECT_EQ(prefix.find(secret.substr(9)), std::string::npos);
        }
        EXPECT_LE(prefix.size(), 9U);
    }
    sqlite3_finalize(stmt);
    sqlite3_close(db);
    EXPECT_EQ(rows, 3);
    // The stored hash is that of the secret: a key whose secret differs by one character fails.
    std::string wrong = server.client_key;
    wrong.back() = wrong.back() == 'a' ? 'b' : 'a';
    EXPECT_EQ(server.client()
                  .post_form(server.base() + "/requests.json",
                             form({{"api_key", wrong}, {"service_code", "171"}}))
                  .status,
              403);
}

TEST(Security, EveryAnswerCarriesTheSecurityHeaders) {
    TestServer server([](Config& c) { c.max_body_bytes = 2048; });
    auto client = server.client();
    expect_security_headers(client.get(server.base() + "/services.json"), "200 JSON");
    expect_security_headers(client.get(server.base() + "/services.xml"), "200 XML");
    expect_security_headers(client.get(server.base() + "/nothing.json"), "404");
    expect_security_headers(client.get("/elsewhere"), "404 outside the base");
    expect_security_headers(client.request("DELETE", server.base() + "/services.json"), "405");
    expect_security_headers(client.request("OPTIONS", server.base() + "/services.json"), "OPTIONS");
    expect_security_headers(client.post_form(server.base() + "/requests.json", "service_code=1"),
                            "403");
    expect_security_headers(client.get("/healthz"), "health");
    expect_security_headers(client.get("/admin/v1/requests"), "401");
    expect_security_headers(
        client.post_form(server.base() + "/requests.json", std::string(4096, 'x')),
        "413 from the transport");
    auto raw =
        client.send_raw("GET /open311/v2/services.json HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n");
    EXPECT_NE(raw.find("X-Content-Type-Options: nosniff"), std::string::npos) << raw;
}

TEST(Security, LogsHoldRequestIdsNotPersonalData) {
    std::ostringstream captured;
    auto previous = spdlog::default_logger();
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
    auto logger = std::make_shared<spdlog::logger>("capture", sink);
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
    const std::vector<std::pair<std::string, std::string>> personal = {
        {"email", "ottilia.vanhanen@example.fi"},
        {"first_name", "Ottilia"},
        {"last_name", "Vanhanen"},
        {"phone", "+358401112233"},
        {"device_id", "device-deadbeef-77"},
        {"account_id", "acct-LOG-4242"},
    };
    std::string client_key;
    {
        TestServer server([](Config& c) {
            c.access_log = true;
            c.log_level = "debug";
        });
        client_key = server.client_key;
        const auto id = server.submit(personal);
        ASSERT_FALSE(id.empty());
        server.publish(id);
        server.client().get(server.base() + "/requests/" + id + ".json");
        server.client().get(server.base() + "/requests.json?api_key=" + client_key +
                            "&email=ottilia.vanhanen@example.fi");
        // A refused submission carrying personal data, and a malformed e-mail.
        auto extra = personal;
        extra.emplace_back("lat", "999");
        server.client().post_form(server.base() + "/requests.json",
                                  form({{"api_key", client_key},
                                        {"service_code", "171"},
                                        {"email", "ottilia.vanhanen@@example.fi"},
                                        {"phone", "+358401112233"},
                                        {"description", "x"}}));
        server.client().get("/admin/v1/requests/" + id,
                            {{"Authorization", "Bearer " + server.staff_key}});
    }
    spdlog::set_default_logger(previous);
    const std::string log = captured.str();
    EXPECT_NE(log.find("access id="), std::string::npos) << "the access log was not captured";
    for (const auto& [field, value] : personal) {
        EXPECT_EQ(log.find(value), std::string::npos) << field << " in the log:\n" << log;
    }
    EXPECT_EQ(log.find("ottilia.vanhanen@@example.fi"), std::string::npos);
    EXPECT_EQ(log.find(client_key), std::string::npos) << "an API key in the log";
}

}  // namespace open311::test
