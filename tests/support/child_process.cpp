#include "support/child_process.hpp"

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace open311::test {

ChildProcess::ChildProcess(const std::string& program,
                           const std::vector<std::string>& args,
                           const std::string& stderr_file)
    : stderr_file_(stderr_file) {
    const int fd = open(stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        throw std::runtime_error("cannot create " + stderr_file);
    }
    std::vector<std::string> storage;
    storage.push_back(program);
    storage.insert(storage.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : storage) {
        argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ < 0) {
        close(fd);
        throw std::runtime_error("fork failed");
    }
    if (pid_ == 0) {
        // Only async-signal-safe calls between fork and exec.
        dup2(fd, STDERR_FILENO);
        execv(program.c_str(), argv.data());
        _exit(127);
    }
    close(fd);
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) {
        kill_and_wait(SIGKILL);
    }
}

std::string ChildProcess::wait_for_line(const std::string& marker,
                                        std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(stderr_file_);
        for (std::string line; std::getline(in, line);) {
            if (line.find(marker) != std::string::npos) {
                return line;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return {};
}

int ChildProcess::kill_and_wait(int signal) {
    if (pid_ <= 0) {
        return -1;
    }
    ::kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
}

unsigned short port_from_listen_line(const std::string& line) {
    const auto scheme = line.find("://");
    if (scheme == std::string::npos) {
        return 0;
    }
    const auto colon = line.find(':', scheme + 3);
    if (colon == std::string::npos) {
        return 0;
    }
    return static_cast<unsigned short>(std::strtoul(line.c_str() + colon + 1, nullptr, 10));
}

}  // namespace open311::test
