#include "support/raw_connection.hpp"

#include <arpa/inet.h>
#include <cstdlib>
#include <netinet/in.h>
#include <poll.h>
#include <stdexcept>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

namespace open311::test {

RawConnection::RawConnection(std::uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port);
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 ||
        ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
        if (fd_ >= 0) {
            ::close(fd_);
        }
        throw std::runtime_error("cannot connect to port " + std::to_string(port));
    }
}

RawConnection::~RawConnection() {
    ::close(fd_);
}

bool RawConnection::send(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) {
            return false;
        }
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

bool RawConnection::fill(std::chrono::milliseconds timeout, bool& closed) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, static_cast<int>(timeout.count()));
    if (ready <= 0) {
        return true;  // nothing yet
    }
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) {
        closed = true;
        return false;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return true;
}

std::optional<std::string> RawConnection::read_response(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool closed = false;
    for (;;) {
        const auto end = buffer_.find("\r\n\r\n");
        if (end != std::string::npos) {
            const std::string length = raw_header(buffer_.substr(0, end + 4), "Content-Length");
            const std::size_t total = end + 4 + (length.empty() ? 0 : std::stoul(length));
            if (buffer_.size() >= total) {
                std::string out = buffer_.substr(0, total);
                buffer_.erase(0, total);
                return out;
            }
        }
        const auto now = std::chrono::steady_clock::now();
        if (closed || now >= deadline) {
            return std::nullopt;
        }
        fill(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now), closed);
    }
}

bool RawConnection::closed_by_peer(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool closed = false;
    while (!closed) {
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) {
            return false;
        }
        fill(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now), closed);
    }
    return true;
}

int raw_status(const std::string& response) {
    if (response.rfind("HTTP/1.", 0) != 0 || response.size() < 12) {
        return 0;
    }
    return std::atoi(response.c_str() + 9);
}

std::string raw_body(const std::string& response) {
    const auto end = response.find("\r\n\r\n");
    return end == std::string::npos ? std::string() : response.substr(end + 4);
}

std::string raw_header(const std::string& response, const std::string& name) {
    std::size_t pos = response.find("\r\n");
    const auto end = response.find("\r\n\r\n");
    while (pos != std::string::npos && pos < end) {
        const auto line_start = pos + 2;
        const auto line_end = response.find("\r\n", line_start);
        const auto colon = response.find(':', line_start);
        if (colon != std::string::npos && colon < line_end && colon - line_start == name.size() &&
            ::strncasecmp(response.c_str() + line_start, name.c_str(), name.size()) == 0) {
            auto value_start = colon + 1;
            while (value_start < line_end && response[value_start] == ' ') {
                ++value_start;
            }
            return response.substr(value_start, line_end - value_start);
        }
        pos = line_end;
    }
    return {};
}

}  // namespace open311::test
