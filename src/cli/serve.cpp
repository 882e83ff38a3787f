#include "catalogue/catalogue_file.hpp"
#include "cli/commands.hpp"
#include "initiatives/demo.hpp"
#include "mail/outbox_sender.hpp"
#include "store/backends.hpp"
#include "telemetry/logging.hpp"
#include "util/embedded.hpp"

#include "open311/http/server.hpp"
#include "open311/store/make_store.hpp"

#include <spdlog/spdlog.h>

#include <iostream>
#include <malloc.h>
#include <memory>

namespace open311::cli {

int run_serve(const CommonOptions& options) {
    auto config = load(options);
    if (!config) {
        return 2;
    }
    setup_logging(config->log_level, config->log_format);
    // Every queued access line is written before the process exits, whichever way it returns.
    struct FlushLogs {
        ~FlushLogs() { telemetry::shutdown_logging(); }
    } flush_logs;
    // glibc's defaults return freed memory to the system after almost every large answer
    // (madvise, then page faults on the next one: 5-8 % of a list's CPU in perf). Keep up to
    // a few MB per arena instead; anonymous memory stays far below 100 MB (bench/README.md).
    mallopt(M_MMAP_THRESHOLD, 4 * 1024 * 1024);
    mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
    try {
        auto opened = make_store(*config);
        Store& store = *opened;
        for (const auto& m : store.applied_migrations()) {
            spdlog::info("applied migration {}", m);
        }
        if (config->demo && store.count_services() == 0) {
            auto file = embedded_demo_catalogue().front();
            auto services = catalogue::parse_catalogue(std::string(file.content));
            store.upsert_services(services);
            spdlog::info("loaded the demo catalogue: {} services", services.size());
        }
        if (initiatives_enabled(*config)) {
            spdlog::info("initiatives API under {}", config->initiatives.base_path);
        }
        if (config->demo && initiatives_enabled(*config)) {
            if (auto n = initiatives::load_demo_initiatives(store); n > 0) {
                spdlog::info("loaded the demo initiatives: {} initiatives", n);
            }
        }
        std::unique_ptr<mail::OutboxSender> sender;
        if (config->mail.host.empty()) {
            spdlog::info("mail: no relay configured (mail.host); notifications wait in the outbox");
        } else {
            sender = std::make_unique<mail::OutboxSender>(store, config->mail);
        }
        Server server(*config, store);
        server.start();
        if (sender) {
            sender->start();
        }
        // Announced once SIGTERM is caught: a supervisor (or a test) that stops the server as
        // soon as it says it listens still gets a graceful stop.
        server.run_until_signal([&] {
            spdlog::info("open311d listening on {}://{}:{}{} (profile {}, database {})",
                         listen_scheme(*config),
                         config->listen_host,
                         server.port(),
                         config->base_path,
                         config->profile.name,
                         store::redacted_database(config->db_path));
            if (config->metrics.enabled) {
                spdlog::info("metrics at {}/metrics{}",
                             config->metrics.listen_host
                                 ? "http://" + *config->metrics.listen_host + ":" +
                                       std::to_string(server.metrics_port())
                                 : std::string(listen_scheme(*config)) + "://" +
                                       config->listen_host + ":" + std::to_string(server.port()),
                             config->metrics.token.empty() ? "" : " (bearer token required)");
            }
        });
        if (sender) {
            sender->stop();  // after the server: the last requests may have queued messages
        }
        spdlog::info("stopped cleanly");
    } catch (const std::exception& e) {
        spdlog::critical("cannot serve: {}", e.what());
        return 1;
    }
    return 0;
}

}  // namespace open311::cli
