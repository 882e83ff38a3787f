// Putting a sandbox together: its configuration (no rate limits, post-moderation, the
// X-Open311-Sandbox header), a database seeded once, whose state reset puts back, the clock,
// and the server with the control API around the API.
#include "sandbox/sandbox.hpp"

#include "initiatives/demo.hpp"
#include "sandbox/clock.hpp"
#include "sandbox/control.hpp"
#include "store/sqlite/snapshot.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include "open311/http/server.hpp"

#include <spdlog/spdlog.h>

#include <cstdlib>
#include <filesystem>

namespace open311::sandbox {
namespace {

Config sandbox_config(const SandboxOptions& o, const std::string& db_path) {
    SettingOverrides settings{
        {"server.listen", o.listen},
        {"database.path", db_path},
        // Its data is thrown away: a commit need not survive a power loss.
        {"database.synchronous", "normal"},
        {"api.profile", o.profile},
        {"api.environment", "test"},
        {"moderation.new_requests", o.moderation},
        {"limits.key_posts_per_minute", "0"},
        {"limits.ip_posts_per_minute", "0"},
        {"initiatives.enabled", "true"},
        {"log.level", o.log_level},
    };
    Config config;
    try {
        // Neither a config file nor OPEN311_* variables: a sandbox is what its flags say.
        config = load_config(std::nullopt, {}, settings);
    } catch (const ConfigError& e) {
        throw SandboxError(e.what());
    }
    config.response_headers.emplace_back("X-Open311-Sandbox", "1");
    return config;
}

/// A fresh directory for the temporary database and its media.
std::filesystem::path make_temp_dir() {
    const auto base = std::filesystem::temp_directory_path() / "open311d-sandbox-XXXXXX";
    std::string pattern = base.string();
    if (mkdtemp(pattern.data()) == nullptr) {
        throw std::runtime_error("cannot create a temporary directory in " +
                                 base.parent_path().string());
    }
    return pattern;
}

}  // namespace

bool is_loopback(const std::string& host) {
    return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

struct Sandbox::Impl {
    ~Impl() {
        if (server) {
            server->stop();
        }
        server.reset();
        control.reset();
        store.reset();
        if (!temp_dir.empty()) {
            std::error_code ignored;
            std::filesystem::remove_all(temp_dir, ignored);
        }
        set_clock_offset(0);
    }

    std::filesystem::path temp_dir;
    Config config;
    std::unique_ptr<SandboxClock> clock;
    std::unique_ptr<store::SqliteStore> store;
    SeedSummary seed;
    std::shared_ptr<Control> control;
    std::unique_ptr<Server> server;
};

Sandbox::Sandbox(const SandboxOptions& options) : impl_(std::make_unique<Impl>()) {
    if (options.moderation != "pending" && options.moderation != "published") {
        throw SandboxError("--moderation: expected pending or published");
    }
    std::string db = options.db;
    if (db.empty()) {
        impl_->temp_dir = make_temp_dir();
        db = (impl_->temp_dir / "sandbox.db").string();
    }
    impl_->config = sandbox_config(options, db);
    if (!options.allow_remote && !is_loopback(impl_->config.listen_host)) {
        throw SandboxError("--listen " + options.listen +
                           ": the sandbox listens on a loopback address only (its keys are "
                           "public and its control API unauthenticated); add --allow-remote "
                           "to listen on another");
    }
    auto& s = *impl_;
    s.clock = std::make_unique<SandboxClock>(options.clock);
    s.store = std::make_unique<store::SqliteStore>(s.config.db_path, s.config.db_synchronous);
    if (s.store->count_services() == 0) {
        s.seed = load_seed(*s.store, options.seed, s.clock->start_day());
        initiatives::load_demo_initiatives(*s.store);
    } else {
        spdlog::info("sandbox: {} holds data already; it is used as it is and reset returns to it",
                     s.config.db_path);
    }
    s.control = std::make_shared<Control>(s.config, *s.store, s.store->snapshot(), *s.clock);
    s.server = std::make_unique<Server>(s.config, *s.store, s.control);
}

Sandbox::~Sandbox() = default;

void Sandbox::start() {
    impl_->server->start();
}

std::uint16_t Sandbox::port() const {
    return impl_->server->port();
}

void Sandbox::stop() {
    impl_->server->stop();
}

void Sandbox::run_until_signal(const std::function<void()>& ready) {
    impl_->server->run_until_signal(ready);
}

const Config& Sandbox::config() const {
    return impl_->config;
}

const SeedSummary& Sandbox::seed() const {
    return impl_->seed;
}

}  // namespace open311::sandbox
