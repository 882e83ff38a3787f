#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace open311::test {

/// One loopback TCP connection driven by hand (POSIX sockets), for tests of the transport's
/// limits: keep-alive, timeouts, slow senders, connection counts.
class RawConnection {
public:
    /// Connects to 127.0.0.1:`port`; throws when the connection is refused.
    explicit RawConnection(std::uint16_t port);
    ~RawConnection();
    RawConnection(const RawConnection&) = delete;
    RawConnection& operator=(const RawConnection&) = delete;

    /// Sends all of `bytes`; false when the peer has closed or reset the connection.
    bool send(const std::string& bytes);
    /// Reads one whole HTTP response (header and Content-Length body); nullopt when the
    /// connection closes first or nothing complete arrives within `timeout`.
    std::optional<std::string> read_response(std::chrono::milliseconds timeout);
    /// Waits up to `timeout` for the peer to close (end of stream or reset); true when it did.
    /// Data that arrives meanwhile is kept for read_response.
    bool closed_by_peer(std::chrono::milliseconds timeout);

private:
    /// Reads what is available within `timeout` into buffer_; false on end of stream or error.
    bool fill(std::chrono::milliseconds timeout, bool& closed);

    int fd_ = -1;
    std::string buffer_;
};

/// The status code of a raw HTTP response ("HTTP/1.1 503 ..." → 503), 0 when unreadable.
int raw_status(const std::string& response);
/// The body of a raw HTTP response (after the blank line).
std::string raw_body(const std::string& response);
/// A header's value in a raw HTTP response (name case-insensitive), "" when absent.
std::string raw_header(const std::string& response, const std::string& name);

}  // namespace open311::test
