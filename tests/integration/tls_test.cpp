// HTTPS served by the server itself (issue "Reliability and security", TLS): a certificate the
// test makes with openssl, a client that verifies it, TLS 1.2 and 1.3 accepted, older refused.
#include "store/sqlite/sqlite_store.hpp"
#include "support/server_fixture.hpp"
#include "support/tls_client.hpp"

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <memory>
#include <string>

namespace open311::test {
namespace {

/// A server that terminates TLS with a fresh self-signed certificate for 127.0.0.1.
struct TlsServer {
    TempDir certificates;
    std::pair<std::string, std::string> files = make_test_certificate(certificates.path());
    TestServer server{[this](Config& c) {
        c.tls_certificate = files.first;
        c.tls_private_key = files.second;
    }};

    TlsClientOptions trusting() const { return TlsClientOptions{files.first, 0, 0, false}; }
};

TEST(Tls, ServesTheApiOverHttpsWithAVerifiedCertificate) {
    TlsServer tls;
    auto r = https_request(
        tls.server.port(), tls.trusting(), "GET", tls.server.base() + "/services.json");
    ASSERT_TRUE(r.handshake) << r.error;
    EXPECT_EQ(r.protocol, "TLSv1.3");
    EXPECT_EQ(r.response.status, 200);
    auto j = r.response.json();
    ASSERT_TRUE(j.is_array());
    EXPECT_FALSE(j.empty());
    EXPECT_EQ(r.response.header("x-content-type-options"), "nosniff");
}

TEST(Tls, DiscoveryNamesTheHttpsAddress) {
    TlsServer tls;
    auto r = https_request(
        tls.server.port(), tls.trusting(), "GET", tls.server.base() + "/discovery.json");
    ASSERT_TRUE(r.handshake) << r.error;
    auto j = r.response.json();
    ASSERT_TRUE(j["endpoints"].is_array());
    const std::string url = j["endpoints"][0].value("url", "");
    EXPECT_EQ(url.rfind("https://127.0.0.1:", 0), 0U) << url;
}

TEST(Tls, AcceptsTls12) {
    TlsServer tls;
    auto options = tls.trusting();
    options.max_version = TLS1_2_VERSION;
    auto r = https_request(tls.server.port(), options, "GET", tls.server.base() + "/services.xml");
    ASSERT_TRUE(r.handshake) << r.error;
    EXPECT_EQ(r.protocol, "TLSv1.2");
    EXPECT_EQ(r.response.status, 200);
    auto doc = r.response.xml();
    EXPECT_TRUE(doc->child("services"));
}

TEST(Tls, RefusesTls11AndTls10) {
    TlsServer tls;
    for (int version : {TLS1_1_VERSION, TLS1_VERSION}) {
        auto options = tls.trusting();
        options.legacy = true;  // the client offers the old version; the server must say no
        options.min_version = version;
        options.max_version = version;
        auto r =
            https_request(tls.server.port(), options, "GET", tls.server.base() + "/services.json");
        EXPECT_FALSE(r.handshake) << "version " << version << " was accepted";
    }
    // The server goes on serving.
    auto ok = https_request(
        tls.server.port(), tls.trusting(), "GET", tls.server.base() + "/services.json");
    EXPECT_TRUE(ok.handshake) << ok.error;
}

TEST(Tls, PostsOverHttpsAreStored) {
    TlsServer tls;
    auto r = https_request(tls.server.port(),
                           tls.trusting(),
                           "POST",
                           tls.server.base() + "/requests.json",
                           form({{"api_key", tls.server.client_key},
                                 {"service_code", "171"},
                                 {"lat", "60.17"},
                                 {"long", "24.94"},
                                 {"description", "Kuoppa salatun yhteyden takaa"}}),
                           {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_TRUE(r.handshake) << r.error;
    ASSERT_EQ(r.response.status, 200) << r.response.body;
    auto j = r.response.json();
    ASSERT_TRUE(j.is_array());
    const std::string id = j[0].value("service_request_id", "");
    ASSERT_FALSE(id.empty());
    auto stored = tls.server.store().find_request(id);
    ASSERT_TRUE(stored.has_value());
    EXPECT_EQ(stored->description, "Kuoppa salatun yhteyden takaa");
}

TEST(Tls, PlainHttpOnTheTlsPortGetsNoAnswerAndHarmsNothing) {
    TlsServer tls;
    const std::string raw = tls.server.client().send_raw(
        "GET " + tls.server.base() + "/services.json HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_EQ(raw.rfind("HTTP/1.1 200", 0), std::string::npos) << raw.substr(0, 200);
    auto r = https_request(
        tls.server.port(), tls.trusting(), "GET", tls.server.base() + "/services.json");
    ASSERT_TRUE(r.handshake) << r.error;
    EXPECT_EQ(r.response.status, 200);
}

TEST(Tls, AMissingCertificateStopsTheServerFromStartingWithItsName) {
    TempDir dir;
    Config config;
    config.listen_host = "127.0.0.1";
    config.listen_port = 0;
    config.tls_certificate = dir.path() + "/missing-cert.pem";
    config.tls_private_key = dir.path() + "/missing-key.pem";
    store::SqliteStore store(dir.path() + "/tls.db", "normal");
    try {
        Server server(config, store);
        FAIL() << "the server started without its certificate";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("server.tls_certificate"), std::string::npos)
            << e.what();
    }
}

}  // namespace
}  // namespace open311::test
