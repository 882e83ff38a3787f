// open311d: argv → subcommand → load config → run. Nothing else.
#include "cli/commands.hpp"
#include "format/datetime.hpp"
#include "sandbox/sandbox.hpp"

#include <CLI/CLI.hpp>

#include <iostream>

int main(int argc, char** argv) {
    using open311::cli::CommonOptions;
    CLI::App app{"open311d: an Open311 GeoReport v2 server (Helsinki feedback API compatible)"};
    app.require_subcommand(1);

    CommonOptions common;
    std::string listen;
    std::string db;
    std::string profile;
    std::string smtp;
    bool demo = false;
    auto add_common = [&](CLI::App* cmd, bool server_flags) {
        cmd->add_option(
            "--config", common.config_file, "TOML config file (see config/open311d.example.toml)");
        cmd->add_option("--db", db, "SQLite database file, or a postgresql:// URI (PostgreSQL)");
        if (server_flags) {
            cmd->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
            cmd->add_option("--profile", profile, "compatibility profile: georeport-v2 | helsinki");
            cmd->add_option("--smtp",
                            smtp,
                            "HOST:PORT of the SMTP relay for notification e-mail (sets mail.host "
                            "and mail.port)");
            cmd->add_flag(
                "--demo",
                demo,
                "load the demo Helsinki catalogue when there are no services (and turn on the "
                "initiatives API with its demo initiatives)");
        }
    };

    auto* serve = app.add_subcommand("serve", "run the server");
    add_common(serve, true);
    auto* migrate = app.add_subcommand("migrate", "apply database migrations");
    add_common(migrate, false);

    auto* keys = app.add_subcommand("keys", "manage API keys");
    keys->require_subcommand(1);
    std::string key_name;
    std::string role;
    std::string expires;
    auto* create = keys->add_subcommand("create", "create a key; prints it alone on the last line");
    create->add_option("--name", key_name, "unique key name")->required();
    create->add_option("--role", role, "client | staff | admin")->required();
    create->add_option("--expires", expires, "last valid day, YYYY-MM-DD (UTC)");
    add_common(create, false);
    auto* list = keys->add_subcommand("list", "list keys (never the secrets)");
    add_common(list, false);
    auto* revoke = keys->add_subcommand("revoke", "revoke a key by name");
    revoke->add_option("name", key_name, "key name")->required();
    add_common(revoke, false);

    int per_minute = -1;
    int burst = -1;
    auto* limit = keys->add_subcommand(
        "limit", "set a key's own POST rate limit (omitted values: the configured default)");
    limit->add_option("name", key_name, "key name")->required();
    limit->add_option("--per-minute", per_minute, "POSTs a minute; 0 turns the limit off");
    limit->add_option("--burst", burst, "POSTs allowed at once before the rate applies");
    add_common(limit, false);

    auto* users = app.add_subcommand("users", "manage staff console users");
    users->require_subcommand(1);
    std::string user_name;
    std::string user_role;
    auto* user_create = users->add_subcommand(
        "create", "create a user; the password (at least 12 characters) is read from stdin");
    user_create->add_option("--name", user_name, "3-64 of letters, digits, . - _ @")->required();
    user_create->add_option("--role", user_role, "staff | admin")->required();
    add_common(user_create, false);
    auto* user_list = users->add_subcommand("list", "list users (never their passwords)");
    add_common(user_list, false);
    auto* user_disable = users->add_subcommand("disable", "disable a user and end their sessions");
    user_disable->add_option("name", user_name, "user name")->required();
    add_common(user_disable, false);
    auto* user_password = users->add_subcommand(
        "password", "set a user's password (read from stdin) and end their sessions");
    user_password->add_option("name", user_name, "user name")->required();
    add_common(user_password, false);

    auto* services = app.add_subcommand("services", "manage the service catalogue");
    services->require_subcommand(1);
    std::string file;
    auto* import =
        services->add_subcommand("import", "load or update services from a catalogue JSON file");
    import->add_option("file", file, "catalogue file")->required();
    add_common(import, false);

    auto* initiatives = app.add_subcommand("initiatives", "manage municipal initiatives");
    initiatives->require_subcommand(1);
    auto* initiatives_import = initiatives->add_subcommand(
        "import", "load or update initiatives and their authors from a JSON file");
    initiatives_import->add_option("file", file, "initiatives file")->required();
    add_common(initiatives_import, false);

    auto* seed = app.add_subcommand(
        "seed", "add generated published requests (Helsinki area, two years) for benchmarks");
    std::int64_t seed_count = 0;
    std::uint64_t seed_value = 1;
    seed->add_option("--count", seed_count, "number of requests to add")
        ->required()
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100000000}));
    seed->add_option("--seed", seed_value, "random seed (the same seed gives the same content)");
    add_common(seed, false);

    std::string copy_from;
    std::string copy_to;
    bool copy_replace = false;
    auto* copy = app.add_subcommand(
        "copy",
        "copy a whole database into another, SQLite or PostgreSQL (ids kept; media files stay "
        "where they are); prints the rows copied per table");
    copy->add_option("--from", copy_from, "source: SQLite file or postgresql:// URI")->required();
    copy->add_option("--to", copy_to, "target: SQLite file (created when missing) or URI")
        ->required();
    copy->add_flag("--replace",
                   copy_replace,
                   "empty a target that already holds data first (else it is refused)");

    open311::sandbox::SandboxOptions box;
    std::string box_clock;
    auto* sandbox = app.add_subcommand(
        "sandbox",
        "a local instance for client developers and CI: seeded data, fixed keys, no rate "
        "limits, a control API under /__sandbox/ (docs/sandbox.md)");
    sandbox->add_option(
        "--listen", box.listen, "HOST:PORT, a loopback address (default 127.0.0.1:8080)");
    sandbox->add_option("--db", box.db, "SQLite file (default: a temporary file removed at stop)");
    sandbox->add_option("--profile", box.profile, "compatibility profile: georeport-v2 | helsinki");
    sandbox->add_option("--seed", box.seed, "seed of the generated data (default 1)");
    sandbox->add_option(
        "--clock", box_clock, "start the clock at this W3C datetime, e.g. 2026-05-01T12:00:00Z");
    sandbox
        ->add_option("--moderation", box.moderation, "new requests: published (default) | pending")
        ->check(CLI::IsMember({"pending", "published"}));
    sandbox->add_flag("--allow-remote", box.allow_remote, "allow a non-loopback --listen address");

    CLI11_PARSE(app, argc, argv);

    if (!db.empty()) {
        common.overrides["database.path"] = db;
    }
    if (!listen.empty()) {
        common.overrides["server.listen"] = listen;
    }
    if (!profile.empty()) {
        common.overrides["api.profile"] = profile;
    }
    if (!smtp.empty()) {
        // HOST, HOST:PORT or [IPv6]:PORT; the loader validates both parts.
        auto colon = smtp.rfind(':');
        if (colon == std::string::npos || smtp.back() == ']') {
            common.overrides["mail.host"] = smtp;
        } else {
            common.overrides["mail.host"] = smtp.substr(0, colon);
            common.overrides["mail.port"] = smtp.substr(colon + 1);
        }
    }
    if (demo) {
        common.overrides["database.demo"] = "true";
    }

    if (sandbox->parsed()) {
        if (!box_clock.empty()) {
            box.clock = open311::format::parse_w3c(box_clock);
            if (!box.clock) {
                std::cerr << "open311d sandbox: --clock: expected a W3C datetime such as "
                             "2026-05-01T12:00:00Z\n";
                return 2;
            }
        }
        return open311::cli::run_sandbox(box);
    }
    if (copy->parsed()) {
        return open311::cli::run_copy(copy_from, copy_to, copy_replace);
    }
    if (serve->parsed()) {
        return open311::cli::run_serve(common);
    }
    if (migrate->parsed()) {
        return open311::cli::run_migrate(common);
    }
    if (create->parsed()) {
        return open311::cli::run_keys_create(common, key_name, role, expires);
    }
    if (list->parsed()) {
        return open311::cli::run_keys_list(common);
    }
    if (revoke->parsed()) {
        return open311::cli::run_keys_revoke(common, key_name);
    }
    if (seed->parsed()) {
        return open311::cli::run_seed(common, seed_count, seed_value);
    }
    if (limit->parsed()) {
        return open311::cli::run_keys_limit(common, key_name, per_minute, burst);
    }
    if (initiatives_import->parsed()) {
        return open311::cli::run_initiatives_import(common, file);
    }
    if (user_create->parsed()) {
        return open311::cli::run_users_create(common, user_name, user_role);
    }
    if (user_list->parsed()) {
        return open311::cli::run_users_list(common);
    }
    if (user_disable->parsed()) {
        return open311::cli::run_users_disable(common, user_name);
    }
    if (user_password->parsed()) {
        return open311::cli::run_users_password(common, user_name);
    }
    if (import->parsed()) {
        return open311::cli::run_services_import(common, file);
    }
    return 2;
}
