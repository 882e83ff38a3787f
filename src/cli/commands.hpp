#pragma once

#include "open311/config.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace open311::sandbox {
struct SandboxOptions;
}  // namespace open311::sandbox

namespace open311::cli {

/// Options shared by every subcommand that opens the database.
struct CommonOptions {
    std::optional<std::string> config_file;
    SettingOverrides overrides;  ///< flags, already named as config keys
};

int run_serve(const CommonOptions& options);
int run_migrate(const CommonOptions& options);
int run_keys_create(const CommonOptions& options,
                    const std::string& name,
                    const std::string& role,
                    const std::string& expires);
int run_keys_list(const CommonOptions& options);
int run_keys_revoke(const CommonOptions& options, const std::string& name);
/// Sets a key's own POST rate limit; a negative value means "the configured default".
int run_keys_limit(const CommonOptions& options,
                   const std::string& name,
                   int per_minute,
                   int burst);
/// users: staff console accounts (cli/users.cpp); passwords come on standard input.
int run_users_create(const CommonOptions& options,
                     const std::string& name,
                     const std::string& role);
int run_users_list(const CommonOptions& options);
int run_users_disable(const CommonOptions& options, const std::string& name);
int run_users_password(const CommonOptions& options, const std::string& name);
int run_services_import(const CommonOptions& options, const std::string& file);
/// Loads or updates initiatives and their authors from an import file (docs/initiatives.md).
int run_initiatives_import(const CommonOptions& options, const std::string& file);
/// Adds `count` generated published requests (benchmarks, demos); `seed` makes them repeatable.
int run_seed(const CommonOptions& options, std::int64_t count, std::uint64_t seed);

/// Copies every row of one database into another (cli/copy.cpp); `replace` empties a target
/// that holds data instead of refusing it.
int run_copy(const std::string& from, const std::string& to, bool replace);

/// Runs `open311d sandbox` until SIGINT or SIGTERM (src/sandbox/).
int run_sandbox(const sandbox::SandboxOptions& options);

/// Loads the configuration for `options`, printing the error and returning nullopt on failure.
std::optional<Config> load(const CommonOptions& options);

/// Sets up spdlog: one line per event on stderr (text or JSON), at the configured level.
void setup_logging(const std::string& level, LogFormat format = LogFormat::text);

}  // namespace open311::cli
