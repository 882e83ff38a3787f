#include "cli/commands.hpp"
#include "telemetry/logging.hpp"

#include <cstdlib>
#include <iostream>
#include <string_view>

namespace open311::cli {

std::optional<Config> load(const CommonOptions& options) {
    try {
        return load_config(options.config_file, process_environment(), options.overrides);
    } catch (const ConfigError& e) {
        // The log is not set up yet: a JSON log (asked for in the environment) still gets a
        // JSON line.
        const char* format = std::getenv("OPEN311_LOG_FORMAT");
        if (format != nullptr && std::string_view(format) == "json") {
            std::string line = "{\"level\":\"critical\",\"msg\":\"configuration error: ";
            telemetry::append_json_string(line, e.what());
            std::cerr << line << "\"}\n";
        } else {
            std::cerr << "open311d: configuration error: " << e.what() << "\n";
        }
        return std::nullopt;
    }
}

void setup_logging(const std::string& level, LogFormat format) {
    telemetry::setup_logging(level, format);
}

}  // namespace open311::cli
