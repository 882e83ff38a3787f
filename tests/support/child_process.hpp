#pragma once

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace open311::test {

/// A program run as a child process with its stderr written to a file, so a test can wait for
/// a line it prints (the server's "listening on" line names the port it bound) and a chatty
/// child never blocks on a full pipe. The destructor kills and reaps a child still running.
class ChildProcess {
public:
    ChildProcess(const std::string& program,
                 const std::vector<std::string>& args,
                 const std::string& stderr_file);
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// Reads the stderr file until a line contains `marker`; that line, or "" on timeout.
    std::string wait_for_line(const std::string& marker, std::chrono::milliseconds timeout);
    /// Sends `signal` and reaps the child; returns the wait status.
    int kill_and_wait(int signal);
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    std::string stderr_file_;
};

/// The port in a "listening on http://HOST:PORT/..." line, or 0.
unsigned short port_from_listen_line(const std::string& line);

}  // namespace open311::test
