#include "support/child_process.hpp"

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <fstream>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <thread>

extern char** environ;  // NOLINT: POSIX

namespace open311::test {

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const std::vector<std::string>& extra_env,
                           const std::string& dir,
                           const std::string& name)
    : err_path_(dir + "/" + name + ".stderr") {
    const std::string out_path = dir + "/" + name + ".stdout";
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(
        &actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(
        &actions, STDERR_FILENO, err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    std::vector<std::string> env_strings(extra_env);
    for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
        env_strings.emplace_back(*e);
    }
    auto pointers = [](std::vector<std::string>& strings) {
        std::vector<char*> out;
        for (auto& s : strings) {
            out.push_back(s.data());
        }
        out.push_back(nullptr);
        return out;
    };
    std::vector<std::string> args(argv);
    auto arg_ptrs = pointers(args);
    auto env_ptrs = pointers(env_strings);
    const int rc =
        posix_spawn(&pid_, arg_ptrs[0], &actions, nullptr, arg_ptrs.data(), env_ptrs.data());
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) {
        pid_ = -1;
        throw std::runtime_error("cannot start " + argv.front());
    }
}

ChildProcess::~ChildProcess() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        int status = 0;
        waitpid(pid_, &status, 0);
    }
}

int ChildProcess::terminate() {
    if (pid_ > 0) {
        kill(pid_, SIGTERM);
    }
    return wait();
}

int ChildProcess::wait() {
    if (pid_ <= 0) {
        return -1;
    }
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string ChildProcess::err() const {
    std::ifstream in(err_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string ChildProcess::wait_for_line(const std::string& marker,
                                        std::chrono::milliseconds timeout) const {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        std::ifstream in(err_path_);
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
