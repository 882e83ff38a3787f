#pragma once

#include "sandbox/seed.hpp"

#include "open311/config.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace open311::sandbox {

/// What `open311d sandbox` is started with (its flags).
struct SandboxOptions {
    std::string listen = "127.0.0.1:8080";
    std::string db;  ///< empty: a temporary file, removed at stop
    std::string profile = "georeport-v2";
    std::uint64_t seed = 1;
    std::optional<Timestamp> clock;  ///< the clock's start; nullopt: the system time
    std::string moderation = "published";
    bool allow_remote = false;
    std::string log_level = "info";
};

/// Refused options (a non-loopback address without allow_remote, a bad value): what() says
/// which and why.
class SandboxError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Whether `host` is a loopback address or name (127.0.0.0/8, ::1, localhost).
bool is_loopback(const std::string& host);

/// A running sandbox: the server with the seed loaded, the control API, the sandbox clock
/// and the temporary database. The socket is bound on construction (port 0 picks one).
class Sandbox final {
public:
    /// Throws SandboxError for refused options, std::exception when it cannot start.
    explicit Sandbox(const SandboxOptions& options);
    ~Sandbox();
    Sandbox(const Sandbox&) = delete;
    Sandbox& operator=(const Sandbox&) = delete;

    void start();
    std::uint16_t port() const;
    void stop();
    /// Blocks until SIGINT or SIGTERM, then stops (see Server::run_until_signal).
    void run_until_signal(const std::function<void()>& ready = {});

    const Config& config() const;
    const SeedSummary& seed() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace open311::sandbox
