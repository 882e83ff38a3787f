// migrate, keys and services subcommands: they open the database directly, so they work
// while a server runs (SQLite WAL) and the server sees their changes at once.
#include "catalogue/catalogue_file.hpp"
#include "cli/commands.hpp"
#include "cli/with_store.hpp"
#include "format/datetime.hpp"
#include "store/backends.hpp"
#include "workflow/keys.hpp"

#include "open311/store/make_store.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

namespace open311::cli {

int run_migrate(const CommonOptions& options) {
    return with_store(options, [](Store& store, const Config& config) {
        for (const auto& m : store.applied_migrations()) {
            std::cout << "applied " << m << "\n";
        }
        std::cout << "database " << store::redacted_database(config.db_path)
                  << " is at schema version " << store::latest_schema_version(config) << "\n";
        return 0;
    });
}

int run_keys_create(const CommonOptions& options,
                    const std::string& name,
                    const std::string& role,
                    const std::string& expires) {
    auto parsed_role = role_from(role);
    if (!parsed_role) {
        std::cerr << "open311d: --role must be client, staff or admin\n";
        return 2;
    }
    if (name.empty() || name.size() > 100) {
        std::cerr << "open311d: --name must be 1 to 100 characters\n";
        return 2;
    }
    std::optional<Timestamp> expires_at;
    if (!expires.empty()) {
        expires_at = format::end_of_day(expires);
        if (!expires_at) {
            std::cerr << "open311d: --expires must be a date YYYY-MM-DD\n";
            return 2;
        }
    }
    return with_store(options, [&](Store& store, const Config&) {
        ApiKey key;
        key.name = name;
        key.role = *parsed_role;
        key.expires_at = expires_at;
        const auto secret = workflow::issue_key(store, key);
        if (!secret) {
            std::cerr << "open311d: a key named '" << name << "' already exists\n";
            return 1;
        }
        std::cout << "created " << role << " key '" << name << "'"
                  << (expires.empty() ? "" : ", valid through " + expires + " (UTC)")
                  << "; it is shown only now:\n"
                  << *secret << "\n";
        return 0;
    });
}

int run_keys_list(const CommonOptions& options) {
    return with_store(options, [](Store& store, const Config&) {
        std::cout << "name\trole\tprefix\tcreated\texpires\tstate\n";
        const auto t = now();
        for (const auto& k : store.list_keys()) {
            std::string state = k.revoked_at
                                    ? "revoked"
                                    : (k.expires_at && t >= *k.expires_at ? "expired" : "active");
            std::cout << k.name << "\t" << to_string(k.role) << "\t" << k.prefix << "…\t"
                      << format::to_w3c(k.created_at) << "\t"
                      << (k.expires_at ? format::to_date(*k.expires_at - 1) : "-") << "\t" << state
                      << "\n";
        }
        return 0;
    });
}

int run_keys_revoke(const CommonOptions& options, const std::string& name) {
    return with_store(options, [&](Store& store, const Config&) {
        if (!store.revoke_key(name, now())) {
            std::cerr << "open311d: no active key named '" << name << "'\n";
            return 1;
        }
        std::cout << "revoked key '" << name << "'\n";
        return 0;
    });
}

int run_keys_limit(const CommonOptions& options,
                   const std::string& name,
                   int per_minute,
                   int burst) {
    if (per_minute > 1000000 || burst == 0 || burst > 1000000) {
        std::cerr << "open311d: --per-minute must be 0 to 1000000 (0: no limit), --burst 1 to "
                     "1000000\n";
        return 2;
    }
    KeyLimits limits;
    if (per_minute >= 0) {
        limits.posts_per_minute = per_minute;
    }
    if (burst > 0) {
        limits.burst = burst;
    }
    return with_store(options, [&](Store& store, const Config& config) {
        if (!store.set_key_limits(name, limits)) {
            std::cerr << "open311d: no key named '" << name << "'\n";
            return 1;
        }
        auto show = [](const std::optional<int>& own, int fallback) {
            return own ? std::to_string(*own) : std::to_string(fallback) + " (default)";
        };
        std::cout << "key '" << name
                  << "': " << show(limits.posts_per_minute, config.key_posts_per_minute)
                  << " POSTs a minute, burst " << show(limits.burst, config.key_burst) << "\n";
        return 0;
    });
}

int run_services_import(const CommonOptions& options, const std::string& file) {
    const auto text = read_input_file(file);
    if (!text) {
        return 1;
    }
    std::vector<Service> services;
    try {
        services = catalogue::parse_catalogue(*text);
    } catch (const catalogue::CatalogueError& e) {
        std::cerr << "open311d: " << file << ": " << e.what() << "\n";
        return 1;
    }
    return with_store(options, [&](Store& store, const Config&) {
        store.upsert_services(services);
        std::cout << "imported " << services.size() << " services from " << file << "\n";
        return 0;
    });
}

std::optional<std::string> read_input_file(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
        std::cerr << "open311d: cannot read " << file << "\n";
        return std::nullopt;
    }
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

}  // namespace open311::cli
