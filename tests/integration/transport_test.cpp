// The HTTP transport over real loopback sockets: malformed input, body limits, keep-alive and
// pipelining, HEAD, CORS, concurrency and a graceful stop (issue 2, "Errors", "CORS").
#include "catalogue/catalogue_file.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "support/server_fixture.hpp"
#include "support/test_images.hpp"
#include "util/embedded.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <arpa/inet.h>
#include <atomic>
#include <cctype>
#include <map>
#include <memory>
#include <netinet/in.h>
#include <string>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace open311::test {
namespace {

/// One response read back from raw bytes.
struct RawResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< lowercase names
    std::string body;
};

/// Splits raw bytes into HTTP/1.1 responses (every answer of this server has a Content-Length).
/// `truncated` is set when the bytes end inside a response.
std::vector<RawResponse> parse_raw(const std::string& raw, bool& truncated) {
    std::vector<RawResponse> out;
    truncated = false;
    std::size_t pos = 0;
    while (pos < raw.size()) {
        auto end = raw.find("\r\n\r\n", pos);
        if (end == std::string::npos || raw.compare(pos, 9, "HTTP/1.1 ") != 0) {
            truncated = true;
            return out;
        }
        RawResponse r;
        r.status = std::stoi(raw.substr(pos + 9, 3));
        auto line = raw.find("\r\n", pos) + 2;
        while (line < end + 2) {
            auto next = raw.find("\r\n", line);
            auto colon = raw.find(':', line);
            if (colon < next) {
                auto value = raw.substr(colon + 1, next - colon - 1);
                value.erase(0, value.find_first_not_of(' '));
                auto name = raw.substr(line, colon - line);
                std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) {
                    return std::tolower(c);
                });
                r.headers[name] = value;
            }
            line = next + 2;
        }
        std::size_t length =
            r.headers.count("content-length") ? std::stoul(r.headers["content-length"]) : 0;
        if (end + 4 + length > raw.size()) {
            truncated = true;
            return out;
        }
        r.body = raw.substr(end + 4, length);
        out.push_back(std::move(r));
        pos = end + 4 + length;
    }
    return out;
}

void expect_error_body(const Response& r, int code, bool json) {
    if (json) {
        auto j = r.json();
        ASSERT_TRUE(j.is_array() && !j.empty()) << r.body;
        EXPECT_EQ(j[0].value("code", 0), code);
        EXPECT_FALSE(j[0].value("description", "").empty());
    } else {
        auto doc = r.xml();
        auto error = doc->child("errors").child("error");
        ASSERT_FALSE(error.empty()) << r.body;
        EXPECT_EQ(std::string(error.child_value("code")), std::to_string(code));
        EXPECT_FALSE(std::string(error.child_value("description")).empty());
    }
}

std::string multipart(const std::string& boundary,
                      const std::vector<std::pair<std::string, std::string>>& fields,
                      const std::string& media) {
    std::string body;
    for (const auto& [name, value] : fields) {
        body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name +
                "\"\r\n\r\n" + value + "\r\n";
    }
    // As some clients send it: a media part without a Content-Type.
    body += "--" + boundary +
            "\r\nContent-Disposition: form-data; name=\"media\"; filename=\"photo.jpg\"\r\n\r\n" +
            media + "\r\n--" + boundary + "--\r\n";
    return body;
}

void small_limits(Config& c) {
    c.max_body_bytes = 2048;
    c.max_multipart_bytes = 64 * 1024;
}

/// A valid request whose 3000-character description makes the body larger than 2048 bytes.
std::vector<std::pair<std::string, std::string>> big_fields(const TestServer& server) {
    return {{"api_key", server.client_key},
            {"service_code", "171"},
            {"lat", "60.17"},
            {"long", "24.94"},
            {"description", std::string(3000, 'b')}};
}

/// A server of the test's own, so that the test can call stop() itself.
struct OwnServer {
    TempDir dir;
    Config config;
    std::unique_ptr<store::SqliteStore> store;
    std::unique_ptr<Server> server;

    OwnServer() {
        config.listen_host = "127.0.0.1";
        config.listen_port = 0;
        config.db_path = dir.path() + "/own.db";
        config.access_log = false;
        config.log_level = "warn";
        store = std::make_unique<store::SqliteStore>(config.db_path, config.db_synchronous);
        store->upsert_services(
            catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
        server = std::make_unique<Server>(config, *store);
        server->start();
    }
};

/// True when a TCP connection to the loopback port is accepted (by the kernel, at least).
bool port_accepts(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    const bool connected =
        ::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    ::close(fd);
    return connected;
}

/// Threads that fire "GET services.json" on new connections until finish(), classifying answers.
class Firers {
public:
    Firers(std::uint16_t port, const std::string& base) {
        const std::string request =
            "GET " + base + "/services.json HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        for (int i = 0; i < 4; ++i) {
            threads_.emplace_back([this, port, request] { fire(port, request); });
        }
    }
    ~Firers() { finish(); }
    Firers(const Firers&) = delete;
    Firers& operator=(const Firers&) = delete;

    /// Stops firing (after stop() the port is free and another process may bind it) and joins.
    void finish() {
        done_ = true;
        for (auto& t : threads_) {
            if (t.joinable()) {
                t.join();
            }
        }
    }

    std::atomic<int> complete{0};
    std::atomic<int> unanswered{0};
    std::atomic<int> broken{0};

private:
    void fire(std::uint16_t port, const std::string& request) {
        HttpClient client(port);
        while (!done_.load()) {
            std::string raw;
            try {
                raw = client.send_raw(request);
            } catch (const std::exception&) {
                return;  // connection refused: the server is gone
            }
            if (raw.empty()) {
                ++unanswered;  // closed before the request was read: never in flight
                continue;
            }
            bool truncated = false;
            auto answers = parse_raw(raw, truncated);
            auto j = answers.size() == 1 ? nlohmann::json::parse(answers[0].body, nullptr, false)
                                         : nlohmann::json();
            if (truncated || answers.size() != 1 || answers[0].status != 200 || !j.is_array() ||
                j.empty()) {
                ++broken;
            } else {
                ++complete;
            }
        }
    }

    std::atomic<bool> done_{false};
    std::vector<std::thread> threads_;
};

}  // namespace

TEST(Transport, MalformedRequestGetsBadRequestAndServerKeepsServing) {
    TestServer server;
    bool truncated = false;
    auto answers = parse_raw(server.client().send_raw("GARBAGE\r\n\r\n"), truncated);
    EXPECT_FALSE(truncated);
    ASSERT_EQ(answers.size(), 1U);
    EXPECT_EQ(answers[0].status, 400);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(answers[0].body.c_str())) << answers[0].body;
    EXPECT_EQ(std::string(doc.child("errors").child("error").child_value("code")), "400");
    auto after = server.client().get(server.base() + "/services.json");
    EXPECT_EQ(after.status, 200);
    EXPECT_TRUE(after.json().is_array());
}

TEST(Transport, BodyOverTheLimitIsPayloadTooLargeInTheRequestedFormat) {
    TestServer server(small_limits);
    for (const bool json : {false, true}) {
        auto r = server.client().post_form(
            server.base() + (json ? "/requests.json" : "/requests.xml"), form(big_fields(server)));
        EXPECT_EQ(r.status, 413) << r.body;
        EXPECT_EQ(r.header("Content-Type"),
                  json ? "application/json; charset=utf-8" : "text/xml; charset=utf-8");
        expect_error_body(r, 413, json);
    }
    EXPECT_EQ(server.client().get(server.base() + "/discovery.json").status, 200);
}

TEST(Transport, MultipartHasItsOwnLargerLimit) {
    TestServer server(small_limits);
    const std::string boundary = "transportBoundary42";
    const std::map<std::string, std::string> type = {
        {"Content-Type", "multipart/form-data; boundary=" + boundary}};
    auto fits = multipart(boundary, big_fields(server), test::large_jpeg(8000));
    ASSERT_GT(fits.size(), 2048U);
    auto ok = server.client().request("POST", server.base() + "/requests.json", fits, type);
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto j = ok.json();
    ASSERT_TRUE(j.is_array() && j.size() == 1) << ok.body;
    EXPECT_FALSE(j[0].value("service_request_id", "").empty());
    // ... and that limit holds too.
    auto too_big = multipart(boundary, big_fields(server), std::string(70 * 1024, 'c'));
    auto r = server.client().request("POST", server.base() + "/requests.xml", too_big, type);
    EXPECT_EQ(r.status, 413) << r.body;
    expect_error_body(r, 413, false);
}

TEST(Transport, KeepAliveAnswersPipelinedRequestsInOrder) {
    TestServer server;
    const std::string host = "Host: 127.0.0.1\r\n";
    auto raw = server.client().send_raw(
        "GET " + server.base() + "/services.json HTTP/1.1\r\n" + host + "\r\n" + "GET " +
        server.base() + "/discovery.xml HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n");
    bool truncated = false;
    auto answers = parse_raw(raw, truncated);
    EXPECT_FALSE(truncated) << raw;
    ASSERT_EQ(answers.size(), 2U) << raw;
    EXPECT_EQ(answers[0].status, 200);
    EXPECT_EQ(answers[1].status, 200);
    EXPECT_EQ(answers[0].headers["content-type"], "application/json; charset=utf-8");
    EXPECT_TRUE(nlohmann::json::parse(answers[0].body).is_array());
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(answers[1].body.c_str()));
    EXPECT_FALSE(doc.child("discovery").child("endpoints").empty());
}

TEST(Transport, HeadSendsHeadersWithoutBody) {
    TestServer server;
    auto get = server.client().get(server.base() + "/services.json");
    ASSERT_EQ(get.status, 200);
    auto head = server.client().request("HEAD", server.base() + "/services.json");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.header("Content-Type"), "application/json; charset=utf-8");
    EXPECT_EQ(head.header("Content-Length"), std::to_string(get.body.size()));
    // Over a raw socket: nothing follows the header block.
    auto raw = server.client().send_raw(
        "HEAD " + server.base() + "/services.xml HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    auto end = raw.find("\r\n\r\n");
    ASSERT_NE(end, std::string::npos) << raw;
    EXPECT_EQ(raw.size(), end + 4) << raw;
}

TEST(Transport, CorsPreflightForAnAllowedOrigin) {
    TestServer server([](Config& c) { c.cors_origins = {"https://app.example"}; });
    auto r = server.client().request(
        "OPTIONS",
        server.base() + "/requests.json",
        "",
        {{"Origin", "https://app.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_EQ(r.status, 204);
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://app.example");
    auto methods = r.header("Access-Control-Allow-Methods");
    EXPECT_NE(methods.find("POST"), std::string::npos) << methods;
    EXPECT_NE(methods.find("GET"), std::string::npos) << methods;

    auto denied = server.client().request(
        "OPTIONS",
        server.base() + "/requests.json",
        "",
        {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "POST"}});
    EXPECT_TRUE(denied.header("Access-Control-Allow-Origin").empty());
    EXPECT_TRUE(denied.header("Access-Control-Allow-Methods").empty());
    auto denied_get =
        server.client().get(server.base() + "/services.json", {{"Origin", "https://evil.example"}});
    EXPECT_EQ(denied_get.status, 200);
    EXPECT_TRUE(denied_get.header("Access-Control-Allow-Origin").empty());
}

TEST(Transport, CorsOnSimpleGetExposesTotalCount) {
    TestServer server([](Config& c) { c.cors_origins = {"https://app.example"}; });
    server.submit_published();
    auto r =
        server.client().get(server.base() + "/requests.json", {{"Origin", "https://app.example"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Access-Control-Allow-Origin"), "https://app.example");
    EXPECT_NE(r.header("Access-Control-Expose-Headers").find("X-Total-Count"), std::string::npos);
    EXPECT_EQ(r.header("X-Total-Count"), "1");
    EXPECT_EQ(r.json().size(), 1U);
}

TEST(Transport, EveryAnswerCarriesARequestId) {
    TestServer server;
    auto a = server.client().get(server.base() + "/services.json");
    auto b = server.client().get(server.base() + "/services.json");
    auto missing = server.client().get(server.base() + "/requests/unknown-id.json");
    EXPECT_EQ(missing.status, 404);
    for (const auto* r : {&a, &b, &missing}) {
        EXPECT_FALSE(r->header("X-Request-Id").empty());
    }
    EXPECT_NE(a.header("X-Request-Id"), b.header("X-Request-Id"));
}

TEST(Transport, FiftyConcurrentClientsAllSucceed) {
    TestServer server;
    constexpr int kClients = 50;
    std::atomic<int> posted{0};
    std::atomic<int> listed{0};
    std::vector<std::thread> threads;
    const auto body = form({{"api_key", server.client_key},
                            {"service_code", "176"},
                            {"lat", "60.17"},
                            {"long", "24.94"},
                            {"description", "Rinnakkainen palaute"}});
    for (int i = 0; i < kClients; ++i) {
        threads.emplace_back([&server, &posted, &listed, &body] {
            try {
                auto client = server.client();
                auto post = client.post_form(server.base() + "/requests.json", body);
                auto j = nlohmann::json::parse(post.body, nullptr, false);
                if (post.status == 200 && j.is_array() && j.size() == 1 &&
                    j[0].contains("service_request_id")) {
                    ++posted;
                }
                auto get = client.get(server.base() + "/services.xml");
                pugi::xml_document doc;
                if (get.status == 200 && doc.load_string(get.body.c_str()) &&
                    !doc.child("services").child("service").empty()) {
                    ++listed;
                }
            } catch (const std::exception&) {
                // Counted as a failure by the totals below.
            }
        });
    }
    for (auto& t : threads) {
        t.join();
    }
    EXPECT_EQ(posted.load(), kClients);
    EXPECT_EQ(listed.load(), kClients);
    auto pending = server.client().request("GET",
                                           "/admin/v1/requests?state=pending&page_size=100",
                                           "",
                                           {{"Authorization", "Bearer " + server.staff_key}});
    ASSERT_EQ(pending.status, 200);
    EXPECT_EQ(pending.json()["total"].get<int>(), kClients);
}

TEST(Transport, StopFinishesRequestsInFlight) {
    OwnServer own;
    Firers firers(own.server->port(), own.config.base_path);
    // Stop while the firers are busy: wait until a good number of answers went through.
    while (firers.complete.load() < 40 && firers.broken.load() == 0) {
        std::this_thread::yield();
    }
    own.server->stop();
    // Destroying the server releases any connection still waiting in the listen backlog
    // (see StopClosesTheListeningSocket), so no firer can block forever.
    own.server.reset();
    firers.finish();
    EXPECT_GE(firers.complete.load(), 40);
    EXPECT_EQ(firers.broken.load(), 0)
        << "complete=" << firers.complete << " unanswered=" << firers.unanswered;
}

TEST(Transport, StopClosesTheListeningSocket) {
    OwnServer own;
    own.server.reset();
    own.config.io_threads = 1;  // one I/O thread busy with accepts makes the lost close likelier
    // When stop() returns, the acceptor must be closed, or new clients connect and then wait
    // forever for an answer. Several rounds under load, because a lost close is a matter of timing.
    constexpr int kRounds = 200;
    int still_listening = 0;
    for (int round = 0; round < kRounds; ++round) {
        auto server = std::make_unique<Server>(own.config, *own.store);
        server->start();
        const auto port = server->port();
        Firers firers(port, own.config.base_path);
        while (firers.complete.load() < 2 && firers.broken.load() == 0) {
            std::this_thread::yield();
        }
        server->stop();
        if (port_accepts(port)) {
            ++still_listening;
        }
        server.reset();
        firers.finish();
        EXPECT_EQ(firers.broken.load(), 0);
    }
    EXPECT_EQ(still_listening, 0) << "of " << kRounds << " stopped servers, " << still_listening
                                  << " still accepted connections";
}

}  // namespace open311::test
