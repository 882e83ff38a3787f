#include "support/smtp_sink.hpp"

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <spawn.h>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

extern char** environ;  // NOLINT: POSIX

namespace open311::test {
namespace {

/// Spawns `argv` with its stdin and stdout on pipes; returns {pid, stdin fd, stdout fd}.
std::tuple<pid_t, int, int> spawn_piped(const std::vector<std::string>& argv) {
    int in[2];
    int out[2];
    if (pipe(in) != 0 || pipe(out) != 0) {
        throw std::runtime_error("pipe failed");
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, in[0], STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&actions, in[1]);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    std::vector<char*> args;
    for (const auto& a : argv) {
        args.push_back(const_cast<char*>(a.c_str()));  // NOLINT: posix_spawn's signature
    }
    args.push_back(nullptr);
    pid_t pid = -1;
    const int rc = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(in[0]);
    close(out[1]);
    if (rc != 0) {
        close(in[1]);
        close(out[0]);
        throw std::runtime_error("cannot start " + argv[0]);
    }
    return {pid, in[1], out[0]};
}

}  // namespace

SmtpSink::SmtpSink(const std::string& dir, const SmtpSinkOptions& options)
    : out_(dir + "/smtp-sink-" + std::to_string(reinterpret_cast<std::uintptr_t>(this)) +
           ".jsonl") {
    std::vector<std::string> argv = {
        "/usr/bin/python3", OPEN311_SOURCE_DIR "/tests/support/smtp_sink.py", "--out", out_};
    if (options.fail_data > 0) {
        argv.insert(argv.end(), {"--fail-data", std::to_string(options.fail_data)});
    }
    if (options.reject_rcpt) {
        argv.emplace_back("--reject-rcpt");
    }
    if (!options.tls_cert.empty()) {
        argv.insert(argv.end(), {"--tls-cert", options.tls_cert, "--tls-key", options.tls_key});
    }
    if (!options.auth.empty()) {
        argv.insert(argv.end(), {"--auth", options.auth});
    }
    std::ofstream(out_).flush();  // exists before the first event, so events() can read it
    int out_fd = -1;
    std::tie(pid_, stdin_fd_, out_fd) = spawn_piped(argv);
    // The sink prints "PORT <n>" once it listens; a crash closes the pipe instead.
    std::string line;
    char c = 0;
    while (read(out_fd, &c, 1) == 1 && c != '\n') {
        line += c;
    }
    close(out_fd);
    if (line.rfind("PORT ", 0) != 0) {
        stop();
        throw std::runtime_error("the SMTP sink did not start: '" + line + "'");
    }
    port_ = static_cast<std::uint16_t>(std::stoi(line.substr(5)));
}

SmtpSink::~SmtpSink() {
    stop();
}

void SmtpSink::stop() {
    if (pid_ <= 0) {
        return;
    }
    close(stdin_fd_);  // the sink exits when its stdin closes
    kill(pid_, SIGTERM);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::vector<nlohmann::json> SmtpSink::events() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(out_);
    std::string line;
    while (std::getline(in, line)) {
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded()) {  // a line being written right now
            out.push_back(std::move(j));
        }
    }
    return out;
}

std::vector<nlohmann::json> SmtpSink::delivered() const {
    std::vector<nlohmann::json> out;
    for (auto& e : events()) {
        if (e.value("event", "") == "delivered") {
            out.push_back(std::move(e));
        }
    }
    return out;
}

std::vector<nlohmann::json> SmtpSink::wait_delivered(std::size_t count,
                                                     std::chrono::milliseconds deadline) const {
    std::vector<nlohmann::json> got;
    wait_until(
        [&] {
            got = delivered();
            return got.size() >= count;
        },
        deadline);
    return got;
}

}  // namespace open311::test
