#include "support/cli_run.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>

namespace open311::test {

std::string read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string shell_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) {
        if (c == '\'') {
            out += "'\\''";
        } else {
            out += c;
        }
    }
    return out + "'";
}

CliRun run_cli(const std::string& dir,
               const std::string& args,
               const std::string& input,
               int seconds) {
    const std::string in = dir + "/cli-stdin.txt";
    std::ofstream(in, std::ios::binary) << input;
    const std::string out = dir + "/cli-stdout.txt";
    const std::string err = dir + "/cli-stderr.txt";
    const std::string command = "cd " + shell_quoted(dir) + " && timeout " +
                                std::to_string(seconds) + " " + shell_quoted(OPEN311_BINARY) + " " +
                                args + " >" + shell_quoted(out) + " 2>" + shell_quoted(err) + " <" +
                                shell_quoted(in);
    const int status = std::system(command.c_str());
    CliRun r;
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.out = read_text_file(out);
    r.err = read_text_file(err);
    return r;
}

}  // namespace open311::test
