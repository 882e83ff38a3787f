#pragma once

#include "support/wait_until.hpp"  // used with the sink by every mail test

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <sys/types.h>
#include <utility>
#include <vector>

namespace open311::test {

/// How the sink behaves.
struct SmtpSinkOptions {
    int fail_data = 0;         ///< answer the first N DATA commands with 451
    bool reject_rcpt = false;  ///< answer every RCPT with 550
    std::string tls_cert;      ///< offer STARTTLS with this certificate (PEM) and key
    std::string tls_key;
    std::string auth;  ///< "USER:PASSWORD" accepted by AUTH (only after STARTTLS)
};

/// A real SMTP server on a loopback port: tests/support/smtp_sink.py (aiosmtpd) run as a child
/// process. Every message it accepts or refuses is a JSON line read back by `events()`.
class SmtpSink {
public:
    /// Starts the sink, writing into `dir`; returns once it accepts connections.
    SmtpSink(const std::string& dir, const SmtpSinkOptions& options = {});
    ~SmtpSink();
    SmtpSink(const SmtpSink&) = delete;
    SmtpSink& operator=(const SmtpSink&) = delete;

    std::uint16_t port() const { return port_; }
    /// Everything recorded so far, oldest first.
    std::vector<nlohmann::json> events() const;
    /// The "delivered" events.
    std::vector<nlohmann::json> delivered() const;
    /// Waits until `count` messages were delivered or `deadline` passed; returns them.
    std::vector<nlohmann::json> wait_delivered(
        std::size_t count, std::chrono::milliseconds deadline = std::chrono::seconds(15)) const;
    /// Stops the sink: its port refuses connections afterwards.
    void stop();

private:
    std::string out_;
    pid_t pid_ = -1;
    int stdin_fd_ = -1;
    std::uint16_t port_ = 0;
};

}  // namespace open311::test
