// Malformed multipart/form-data bodies over real loopback sockets: every shape gets a complete
// 400 at once, in the requested format, naming the body; a malformed part is refused before
// any other check (the api_key one included).
#include "support/raw_connection.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace open311::test {
namespace multipart_errors {
namespace {

using namespace std::chrono_literals;

/// A request whose answer must come well before any server timeout.
constexpr auto kAnswerWithin = 1000ms;

/// One malformed shape: the request's headers (after the request line) and its body.
struct Shape {
    std::string what;
    std::string headers;
    std::string body;
};

std::string content_length(const std::string& body) {
    return "Content-Length: " + std::to_string(body.size()) + "\r\n";
}

Shape with_length(std::string what, const std::string& content_type, std::string body) {
    return {std::move(what), "Content-Type: " + content_type + "\r\n" + content_length(body), body};
}

std::vector<Shape> malformed_shapes() {
    const std::string y = "multipart/form-data; boundary=y";
    const std::string part = "--y\r\nContent-Disposition: form-data; name=\"api_key\"\r\n\r\nabc";
    return {
        with_length("empty body", y, ""),
        with_length("empty body, no boundary", "multipart/form-data", ""),
        with_length("empty body, empty boundary", "multipart/form-data; boundary=", ""),
        with_length("no boundary parameter", "multipart/form-data", part + "\r\n--y--\r\n"),
        with_length("empty boundary parameter",
                    "multipart/form-data; boundary=\"\"",
                    part + "\r\n--y--\r\n"),
        with_length("ends before the first boundary", y, "no boundary in here"),
        with_length("another boundary only", y, part + "\r\n--z--\r\n"),
        with_length("ends on the first boundary", y, "--y"),
        with_length("ends after the first boundary line", y, "--y\r\n"),
        with_length(
            "ends inside the part headers", y, "--y\r\nContent-Disposition: form-data; name=\"a\""),
        with_length("ends before the closing boundary", y, part),
        with_length("ends inside the closing boundary", y, part + "\r\n-"),
        {"empty chunked body",
         "Content-Type: " + y + "\r\nTransfer-Encoding: chunked\r\n",
         "0\r\n\r\n"},
        {"empty body after 100-continue",
         "Content-Type: " + y + "\r\nExpect: 100-continue\r\nContent-Length: 0\r\n",
         ""},
    };
}

/// Sends one raw POST and reads its final answer (skipping a 100 Continue); nullopt when no
/// complete answer arrives within kAnswerWithin.
std::optional<std::string> post_raw(const TestServer& server,
                                    const std::string& target,
                                    const Shape& shape) {
    RawConnection connection(server.port());
    const std::string request =
        "POST " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + shape.headers + "\r\n" + shape.body;
    if (!connection.send(request)) {
        return std::nullopt;
    }
    const auto deadline = std::chrono::steady_clock::now() + kAnswerWithin;
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left <= 0ms) {
            return std::nullopt;
        }
        auto answer = connection.read_response(left);
        if (!answer || raw_status(*answer) != 100) {
            return answer;
        }
    }
}

/// Checks a 400 answer in the requested format, parsed, whose first error names the body and
/// mentions `mention`.
void expect_body_error(const Response& r, bool json, const std::string& mention = "") {
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(r.header("Content-Type"), json ? kJsonType : kXmlType) << r.body;
    std::vector<std::string> descriptions;
    if (json) {
        auto j = r.json();
        ASSERT_TRUE(j.is_array()) << r.body;
        for (const auto& e : j) {
            EXPECT_EQ(e.value("code", 0), 400) << r.body;
            descriptions.push_back(e.value("description", ""));
        }
    } else {
        auto doc = r.xml();
        for (auto e : doc->child("errors").children("error")) {
            EXPECT_EQ(e.child("code").text().as_int(), 400) << r.body;
            descriptions.emplace_back(e.child_value("description"));
        }
    }
    ASSERT_FALSE(descriptions.empty()) << r.body;
    EXPECT_EQ(descriptions[0].rfind("body: ", 0), 0U) << descriptions[0];
    EXPECT_NE(descriptions[0].find(mention), std::string::npos) << descriptions[0];
}

/// The same for a raw answer, which must be complete.
void expect_body_error(const std::optional<std::string>& answer,
                       bool json,
                       const std::string& mention = "") {
    ASSERT_TRUE(answer.has_value()) << "no complete answer within a second";
    Response r;
    r.status = raw_status(*answer);
    r.headers["content-type"] = raw_header(*answer, "Content-Type");
    r.body = raw_body(*answer);
    expect_body_error(r, json, mention);
}

TEST(TransportMultipart, MalformedBodiesGetA400AtOnceInTheRequestedFormat) {
    TestServer server;
    for (const auto& shape : malformed_shapes()) {
        for (const bool json : {true, false}) {
            SCOPED_TRACE(shape.what + (json ? " (.json)" : " (.xml)"));
            const auto target = server.base() + (json ? "/requests.json" : "/requests.xml");
            expect_body_error(post_raw(server, target, shape), json);
        }
    }
    EXPECT_EQ(server.client().get(server.base() + "/discovery.json").status, 200);
}

TEST(TransportMultipart, EmptyBodyOnAKeptAliveConnectionIsAnsweredAndTheNextRequestToo) {
    TestServer server;
    RawConnection connection(server.port());
    ASSERT_TRUE(connection.send("POST " + server.base() +
                                "/requests.json HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: multipart/form-data; boundary=y\r\n"
                                "Content-Length: 0\r\n\r\n"
                                "GET " +
                                server.base() +
                                "/services.json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
    expect_body_error(connection.read_response(kAnswerWithin), true, "multipart");
    auto next = connection.read_response(kAnswerWithin);
    ASSERT_TRUE(next.has_value()) << "the pipelined request was not answered";
    EXPECT_EQ(raw_status(*next), 200) << *next;
}

/// A multipart body of valid request fields (with the client's key when `key` is set) and
/// `extra`, a raw part put between them.
std::string fields_with_part(const TestServer& server, bool key, const std::string& extra) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"service_code", "171"}, {"lat", "60.17"}, {"long", "24.94"}};
    if (key) {
        fields.insert(fields.begin(), {"api_key", server.client_key});
    }
    std::string body;
    for (std::size_t i = 0; i < fields.size(); ++i) {
        if (i == 1) {
            body += "--y\r\n" + extra + "\r\n";
        }
        body += "--y\r\nContent-Disposition: form-data; name=\"" + fields[i].first + "\"\r\n\r\n" +
                fields[i].second + "\r\n";
    }
    return body + "--y\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\n" +
           "A pothole in the middle of the street\r\n--y--\r\n";
}

struct BadPart {
    std::string what;
    std::string part;     ///< headers, blank line and data, without the delimiter
    std::string mention;  ///< what the error must name
};

TEST(MultipartParts, AMalformedPartIsA400BeforeAnyOtherCheck) {
    TestServer server;
    const std::vector<BadPart> parts = {
        {"no Content-Disposition",
         "Content-Type: text/plain\r\n\r\nvalue",
         "part 2 has no Content-Disposition"},
        {"no headers at all", "\r\nvalue", "part 2"},
        {"no name", "Content-Disposition: form-data\r\n\r\nvalue", "part 2 has no name"},
        {"empty name", "Content-Disposition: form-data; name=\"\"\r\n\r\nvalue", "no name"},
        {"a file without a name",
         "Content-Disposition: form-data; filename=\"a.jpg\"\r\n\r\nJPEG",
         "no name"},
    };
    const auto client = server.client();
    for (const auto& bad : parts) {
        // Without a key the old answer was 403 "api_key: required"; with a valid one the
        // request was accepted: the malformed part was skipped.
        for (const bool key : {false, true}) {
            for (const bool json : {true, false}) {
                SCOPED_TRACE(bad.what + (key ? ", with a key" : ", no key") +
                             (json ? " (.json)" : " (.xml)"));
                const auto body = fields_with_part(server, key, bad.part);
                auto r = client.request("POST",
                                        server.base() + (json ? "/requests.json" : "/requests.xml"),
                                        body,
                                        {{"Content-Type", "multipart/form-data; boundary=y"}});
                expect_body_error(r, json, bad.mention);
            }
        }
    }
}

}  // namespace
}  // namespace multipart_errors
}  // namespace open311::test
