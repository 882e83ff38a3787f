#include "cli/commands.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

namespace open311::cli {

std::optional<Config> load(const CommonOptions& options) {
    try {
        return load_config(options.config_file, process_environment(), options.overrides);
    } catch (const ConfigError& e) {
        std::cerr << "open311d: configuration error: " << e.what() << "\n";
        return std::nullopt;
    }
}

void setup_logging(const std::string& level) {
    auto logger = spdlog::stderr_color_mt("open311d");
    spdlog::set_default_logger(logger);
    spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace open311::cli
