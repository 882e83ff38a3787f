// users subcommands: staff console accounts. The password comes on standard input (one line),
// never on the command line where other users of the machine could read it.
#include "workflow/users.hpp"

#include "cli/commands.hpp"
#include "cli/with_store.hpp"
#include "format/datetime.hpp"

#include "open311/store/make_store.hpp"

#include <iostream>
#include <string>
#include <termios.h>
#include <unistd.h>

namespace open311::cli {

namespace {

/// The audit actor of changes made at the command line.
constexpr const char* kCliActor = "cli";

/// One line of standard input without its line ending; at a terminal, asked for without echo.
std::optional<std::string> read_password() {
    const bool terminal = isatty(STDIN_FILENO) != 0;
    termios saved{};
    if (terminal) {
        std::cerr << "password (at least " << workflow::kMinPasswordLength
                  << " characters): " << std::flush;
        tcgetattr(STDIN_FILENO, &saved);
        termios quiet = saved;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    std::string line;
    const bool got = static_cast<bool>(std::getline(std::cin, line));
    if (terminal) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        std::cerr << "\n";
    }
    if (!got && line.empty()) {
        return std::nullopt;
    }
    if (!line.empty() && line.back() == '\r') {
        line.pop_back();
    }
    return line;
}

/// Prints the refusal; 2 for bad input, 1 for a state that does not allow the change.
template <typename T>
int refused(const workflow::Outcome<T>& outcome) {
    for (const auto& e : outcome.errors) {
        std::cerr << "open311d: " << e.description << "\n";
    }
    return outcome.errors.front().code == ErrorCode::bad_request ? 2 : 1;
}

}  // namespace

int run_users_create(const CommonOptions& options,
                     const std::string& name,
                     const std::string& role) {
    auto parsed_role = role_from(role);
    if (!parsed_role || *parsed_role == Role::client) {
        std::cerr << "open311d: --role must be staff or admin\n";
        return 2;
    }
    if (auto problem = workflow::user_name_problem(name)) {
        std::cerr << "open311d: --" << *problem << "\n";
        return 2;
    }
    auto password = read_password();
    if (!password) {
        std::cerr << "open311d: the password is read from standard input, which was empty\n";
        return 2;
    }
    return with_store(options, [&](Store& store, const Config&) {
        auto outcome = workflow::create_user(store, name, *parsed_role, *password, kCliActor);
        if (!outcome.ok()) {
            return refused(outcome);
        }
        std::cout << "created " << role << " user '" << name << "'\n";
        return 0;
    });
}

int run_users_list(const CommonOptions& options) {
    return with_store(options, [](Store& store, const Config&) {
        std::cout << "name\trole\tcreated\tstate\n";
        for (const auto& u : store.list_users()) {
            std::cout << u.name << "\t" << to_string(u.role) << "\t" << format::to_w3c(u.created_at)
                      << "\t" << (u.disabled_at ? "disabled" : "active") << "\n";
        }
        return 0;
    });
}

int run_users_disable(const CommonOptions& options, const std::string& name) {
    return with_store(options, [&](Store& store, const Config&) {
        auto outcome = workflow::disable_user(store, name, kCliActor);
        if (!outcome.ok()) {
            return refused(outcome);
        }
        std::cout << "user '" << name << "' is disabled; their sessions have ended\n";
        return 0;
    });
}

int run_users_password(const CommonOptions& options, const std::string& name) {
    auto password = read_password();
    if (!password) {
        std::cerr << "open311d: the password is read from standard input, which was empty\n";
        return 2;
    }
    return with_store(options, [&](Store& store, const Config&) {
        auto outcome = workflow::set_user_password(store, name, *password, kCliActor);
        if (!outcome.ok()) {
            return refused(outcome);
        }
        std::cout << "password of user '" << name << "' changed; their sessions have ended\n";
        return 0;
    });
}

}  // namespace open311::cli
