#pragma once

#include <chrono>
#include <string>
#include <sys/types.h>
#include <vector>

namespace open311::test {

/// A program run by a test as a child process, its stdout and stderr in files.
class ChildProcess {
public:
    /// Starts `argv` with this process's environment plus `extra_env` ("NAME=VALUE");
    /// output goes to `<dir>/<name>.stdout` and `.stderr`.
    ChildProcess(const std::vector<std::string>& argv,
                 const std::vector<std::string>& extra_env,
                 const std::string& dir,
                 const std::string& name);
    /// Kills the child when it still runs.
    ~ChildProcess();
    ChildProcess(const ChildProcess&) = delete;
    ChildProcess& operator=(const ChildProcess&) = delete;

    /// Sends SIGTERM and returns the exit code (-1 when killed by a signal).
    int terminate();
    /// Waits for the child to exit on its own; returns the exit code.
    int wait();
    std::string err() const;
    /// Reads stderr until a line contains `marker`; that line, or "" on timeout.
    std::string wait_for_line(const std::string& marker, std::chrono::milliseconds timeout) const;
    /// Sends `signal` and reaps the child; returns the raw wait status.
    int kill_and_wait(int signal);
    pid_t pid() const { return pid_; }

private:
    pid_t pid_ = -1;
    std::string err_path_;
};

/// The port in a "listening on http://HOST:PORT/..." line, or 0.
unsigned short port_from_listen_line(const std::string& line);

}  // namespace open311::test
