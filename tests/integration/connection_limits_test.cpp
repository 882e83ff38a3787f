// The transport's limits (issue "Reliability and security", connection limits and timeouts):
// a client that sends its header a byte at a time is cut off, silent and idle connections are
// closed, and connections over server.max_connections are answered 503 without harm.
#include "support/raw_connection.hpp"
#include "support/server_fixture.hpp"
#include "support/wait_until.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace open311::test {
namespace {

using namespace std::chrono_literals;

std::string get_services(const TestServer& server) {
    return "GET " + server.base() + "/services.json HTTP/1.1\r\nHost: x\r\n\r\n";
}

TEST(ConnectionLimits, SlowlorisHeaderIsCutOffAtTheHeaderTimeout) {
    TestServer server([](Config& c) {
        c.header_timeout_seconds = 1;
        c.request_timeout_seconds = 30;
        c.idle_timeout_seconds = 30;
    });
    RawConnection slow(server.port());
    ASSERT_TRUE(slow.send("GET " + server.base() + "/services.json HTTP/1.1\r\nX-Slow: "));
    const auto started = std::chrono::steady_clock::now();
    bool cut_off = false;
    // One byte every 100 ms, for up to 10 s: always making progress, never finishing.
    for (int i = 0; i < 100 && !cut_off; ++i) {
        if (!slow.send("a")) {
            cut_off = true;
            break;
        }
        cut_off = slow.closed_by_peer(100ms);
    }
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_TRUE(cut_off) << "a header sent a byte at a time was never cut off";
    EXPECT_LT(took, 5s);
    // Others are served meanwhile and after.
    EXPECT_EQ(server.client().get(server.base() + "/services.json").status, 200);
}

TEST(ConnectionLimits, ANewConnectionThatSendsNothingIsClosed) {
    TestServer server([](Config& c) {
        c.header_timeout_seconds = 1;
        c.idle_timeout_seconds = 60;
    });
    RawConnection silent(server.port());
    EXPECT_TRUE(silent.closed_by_peer(5s));
}

TEST(ConnectionLimits, AnIdleKeepAliveConnectionIsClosedAfterTheIdleTimeout) {
    TestServer server([](Config& c) {
        c.header_timeout_seconds = 10;
        c.idle_timeout_seconds = 1;
    });
    RawConnection idle(server.port());
    ASSERT_TRUE(idle.send(get_services(server)));
    auto first = idle.read_response(5s);
    ASSERT_TRUE(first.has_value());
    EXPECT_EQ(raw_status(*first), 200);
    EXPECT_TRUE(idle.closed_by_peer(5s));
}

TEST(ConnectionLimits, AKeepAliveConnectionInUseStaysOpen) {
    TestServer server([](Config& c) {
        c.header_timeout_seconds = 10;
        c.idle_timeout_seconds = 1;
    });
    RawConnection busy(server.port());
    // Six requests 400 ms apart: 2.4 s in all, each pause shorter than the idle timeout.
    for (int i = 0; i < 6; ++i) {
        ASSERT_TRUE(busy.send(get_services(server))) << "request " << i;
        auto r = busy.read_response(5s);
        ASSERT_TRUE(r.has_value()) << "request " << i;
        EXPECT_EQ(raw_status(*r), 200);
        std::this_thread::sleep_for(400ms);
    }
}

TEST(ConnectionLimits, ConnectionsOverTheLimitGet503AndTheServerRecovers) {
    TestServer server([](Config& c) { c.max_connections = 3; });
    // Three connections the server has certainly accepted: each has had an answer.
    std::vector<std::unique_ptr<RawConnection>> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(std::make_unique<RawConnection>(server.port()));
        ASSERT_TRUE(held.back()->send(get_services(server)));
        auto r = held.back()->read_response(5s);
        ASSERT_TRUE(r.has_value());
        ASSERT_EQ(raw_status(*r), 200);
    }
    RawConnection extra(server.port());
    extra.send(get_services(server));
    auto refused = extra.read_response(5s);
    ASSERT_TRUE(refused.has_value()) << "no answer for a connection over the limit";
    EXPECT_EQ(raw_status(*refused), 503);
    EXPECT_EQ(raw_header(*refused, "Retry-After"), "1");
    EXPECT_EQ(raw_header(*refused, "Connection"), "close");
    const std::string body = raw_body(*refused);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_buffer(body.data(), body.size())) << body;
    EXPECT_EQ(doc.select_node("/errors/error/code").node().text().as_int(), 503);
    EXPECT_TRUE(extra.closed_by_peer(5s));

    // The held connections still work, and a freed slot is taken by the next client.
    ASSERT_TRUE(held.front()->send(get_services(server)));
    auto still = held.front()->read_response(5s);
    ASSERT_TRUE(still.has_value());
    EXPECT_EQ(raw_status(*still), 200);
    held.pop_back();
    EXPECT_TRUE(wait_until(
        [&server] {
            try {
                return server.client().get(server.base() + "/services.json").status == 200;
            } catch (const std::exception&) {
                return false;  // refused while the slot was still held
            }
        },
        5s));
}

}  // namespace
}  // namespace open311::test
