// `open311d sandbox`: a local instance for client developers and CI, ready at once: seeded
// data, fixed keys, no rate limits, post-moderation and the control API under /__sandbox/.
#include "sandbox/sandbox.hpp"

#include "cli/commands.hpp"
#include "telemetry/logging.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <iostream>
#include <string_view>

namespace open311::cli {

int run_sandbox(const sandbox::SandboxOptions& options) {
    // Its settings are its flags; only the log's format follows the environment, so that a CI
    // job collecting JSON logs gets them from the sandbox too.
    const char* format = std::getenv("OPEN311_LOG_FORMAT");
    setup_logging(options.log_level,
                  format != nullptr && std::string_view(format) == "json" ? LogFormat::json
                                                                          : LogFormat::text);
    struct FlushLogs {
        ~FlushLogs() { telemetry::shutdown_logging(); }
    } flush_logs;
    try {
        sandbox::Sandbox box(options);
        box.start();
        const auto& c = box.config();
        const std::string base =
            std::string(listen_scheme(c)) + "://" +
            (c.listen_host.find(':') != std::string::npos ? "[" + c.listen_host + "]"
                                                          : c.listen_host) +
            ":" + std::to_string(box.port());
        box.run_until_signal([&] {
            spdlog::info("keys: client {} · staff {} · admin {}",
                         sandbox::kClientKey,
                         sandbox::kStaffKey,
                         sandbox::kAdminKey);
            spdlog::info("staff console {}/staff/ · users {} and {}, password {}",
                         base,
                         sandbox::kConsoleStaffUser,
                         sandbox::kConsoleAdminUser,
                         sandbox::kConsolePassword);
            spdlog::info("jurisdiction_id {} · control API {}/__sandbox/ · new requests {}",
                         c.jurisdictions.front(),
                         base,
                         c.new_requests == NewRequests::published ? "published at once"
                                                                  : "pending until published");
            spdlog::info("open311d sandbox listening on {}{} (profile {}, database {})",
                         base,
                         c.base_path,
                         c.profile.name,
                         options.db.empty() ? "temporary" : c.db_path);
        });
        spdlog::info("stopped cleanly");
    } catch (const sandbox::SandboxError& e) {
        std::cerr << "open311d sandbox: " << e.what() << "\n";
        return 2;
    } catch (const std::exception& e) {
        spdlog::critical("cannot serve: {}", e.what());
        return 1;
    }
    return 0;
}

}  // namespace open311::cli
