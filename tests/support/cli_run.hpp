#pragma once
// The real open311d binary run as a child process, as an operator runs it: its exit code and
// what it printed. Used by the command-line tests (keys, users, copy, seed …).
#include <string>

namespace open311::test {

struct CliRun {
    int code = -1;  ///< exit code; -1 when it did not exit normally (killed, timed out)
    std::string out;
    std::string err;
};

/// Runs `open311d ARGS` with `dir` as working directory (it also holds the captured output)
/// and `input` on standard input. A `timeout` of `seconds` guards against a command that would
/// not end. ARGS is a shell word list: quote paths with `shell_quoted`.
CliRun run_cli(const std::string& dir,
               const std::string& args,
               const std::string& input = "",
               int seconds = 30);

/// `text` as one single-quoted shell word.
std::string shell_quoted(const std::string& text);

/// A whole file's bytes ("" when it cannot be read).
std::string read_text_file(const std::string& path);

}  // namespace open311::test
