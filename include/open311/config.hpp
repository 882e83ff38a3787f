#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace open311 {

/// Unit of the `radius` parameter of GET requests.
enum class RadiusUnit { metres, kilometres };

/// What a public fetch by id shows of a request that has not been published yet.
enum class PendingVisibility { partial, hidden };

/// How a JSON answer that holds a single object is shaped.
enum class JsonShape { array, object };

/// How JSON writes a field of a public request that has no value (XML: an empty element).
enum class EmptyValue {
    empty_string,  ///< "" (mySociety's OpenAPI description types the fields as strings)
    null,          ///< null (Helsinki's 2024 document: "media_url" : null)
};

/// The settings on which the specification documents disagree (see docs/profiles.md).
struct Profile {
    std::string name = "georeport-v2";
    int max_results = 1000;
    RadiusUnit radius_unit = RadiusUnit::metres;
    PendingVisibility pending_by_id = PendingVisibility::partial;
    JsonShape post_response_json = JsonShape::array;
    JsonShape single_request_json = JsonShape::array;
    EmptyValue empty_value_json = EmptyValue::empty_string;
    bool description_required = false;
    int description_min_length = 0;
    int description_max_length = 4000;
    bool accept_address_string = true;  ///< address_string alone is a location on POST
    bool accept_address_id = true;      ///< address_id alone is a location on POST
    /// can_be_published when a POST does not send it. GeoReport v2 has no such field (its
    /// clients never send it): publishable. Helsinki's 2024 document: false. A client that
    /// sends it is always respected.
    bool can_be_published_default = true;
};

/// What a new request is on arrival (moderation.new_requests).
enum class NewRequests {
    pending,    ///< pre-moderation: public once staff publish it
    published,  ///< post-moderation: public at once; staff can still unpublish or reject it
};

/// When the SMTP client upgrades its connection with STARTTLS.
enum class StartTls {
    off,            ///< never: plain text, for a relay on the same host
    opportunistic,  ///< when the relay offers it (an active attacker can strip the offer)
    required,       ///< always; a relay that does not offer it gets nothing
};

/// Delivery of the outbox's notification e-mail to an SMTP relay ([mail]).
struct MailSettings {
    std::string host;  ///< the relay; empty: nothing is sent and messages wait in the outbox
    std::uint16_t port = 25;
    std::string sender;     ///< the From address (required with a host)
    std::string helo_name;  ///< the name given in EHLO; empty: this machine's host name
    StartTls starttls = StartTls::required;
    bool tls_verify = true;  ///< check the relay's certificate and name
    std::string ca_file;     ///< CA certificates (PEM) to trust instead of the system's
    std::string username;    ///< AUTH PLAIN/LOGIN when not empty
    std::string password;
    bool auth_without_tls = false;                   ///< allow sending credentials over plain text
    std::chrono::milliseconds timeout{30000};        ///< per SMTP step
    std::chrono::milliseconds poll_interval{30000};  ///< look for due messages at least this often
    std::chrono::seconds retry_initial{60};          ///< delay after the first failed attempt
    std::chrono::seconds retry_max{3600};            ///< the doubling delay stops growing here
    int max_attempts = 10;                           ///< then the message is failed for good
};

/// The municipal initiatives API ([initiatives], docs/initiatives.md).
struct InitiativeSettings {
    /// Serve the API; unset: on with the demo data (--demo), off otherwise.
    std::optional<bool> enabled;
    std::string base_path = "/api/v1";  ///< where its routes live, beside the Open311 API
    /// The public origin the API is reached at; ids are this + base_path + "/initiatives/{id}".
    /// Empty: server.public_url's origin, else the listening address.
    std::string api_base_url;
    /// The initiative service's public site; `url` links are this + "/fi/aloite/{id}" and
    /// "/sv/initiativ/{id}".
    std::string site_base_url = "https://www.kuntalaisaloite.fi";
    /// Codes of the municipalities active in the service (their `active` is true).
    std::vector<int> active_municipalities;
};

/// The staff console ([console]): sessions, sign-in throttling and the map.
struct ConsoleSettings {
    bool enabled = true;  ///< serve /staff/; off leaves only the API
    /// A session unused for this long ends.
    std::chrono::seconds idle_timeout{30 * 60};
    /// A session ends this long after its sign-in, however active.
    std::chrono::seconds session_lifetime{12 * 3600};
    /// Failed sign-ins within login_window before an account, or an address, must wait.
    int login_failures_per_account = 5;
    int login_failures_per_address = 20;
    std::chrono::seconds login_window{15 * 60};
    /// Map tiles: a Leaflet URL template and the attribution shown on the map.
    std::string tile_url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
    std::string tile_attribution = "© OpenStreetMap contributors";
};

/// How log lines are written ([log] format).
enum class LogFormat {
    text,  ///< "2026-05-01T12:00:00.123+00:00 info MESSAGE"
    json,  ///< one JSON object per line
};

/// GET /metrics ([metrics], docs/operations.md#metrics).
struct MetricsSettings {
    bool enabled = true;
    /// When not empty, a scrape must send `Authorization: Bearer TOKEN`.
    std::string token;
    /// A listener of its own for /metrics, /healthz and /readyz (plain HTTP); when set,
    /// /metrics is no longer answered on server.listen.
    std::optional<std::string> listen_host;
    std::uint16_t listen_port = 0;
};

/// The named profiles, `georeport-v2` and `helsinki`; nullopt for an unknown name.
std::optional<Profile> profile_by_name(const std::string& name);
/// Names of every built-in profile.
std::vector<std::string> profile_names();

/// Everything the server reads at start. Built once, passed down by const reference.
struct Config {
    // [server]
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::string base_path = "/open311/v2";
    unsigned io_threads = 2;
    /// Threads for the handlers that may wait (writes; on PostgreSQL, reads too). Unset:
    /// worker_count() picks it from the database.
    std::optional<unsigned> worker_threads;
    std::size_t max_body_bytes = 1024 * 1024;
    std::size_t max_multipart_bytes = 64 * 1024 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_inflight_body_bytes = 512 * 1024 * 1024;  ///< all bodies at once; over → 429
    /// A request's header must arrive within this from its first byte (a client sending a
    /// byte at a time is cut off); a new connection must start its first request within it too.
    unsigned header_timeout_seconds = 10;
    /// A keep-alive connection waiting for its next request is closed after this.
    unsigned idle_timeout_seconds = 60;
    /// A request body (other than an upload) must arrive within this; an answer must be taken
    /// by the client within it too.
    unsigned request_timeout_seconds = 30;
    /// Longest a multipart upload may take in all; while it lasts, each read still has to make
    /// progress within request_timeout_seconds.
    unsigned upload_timeout_seconds = 600;
    unsigned shutdown_grace_seconds = 10;
    /// Connections open at once; one more is answered 503 and closed (plain HTTP) or closed.
    std::size_t max_connections = 4096;
    /// HTTPS: a PEM certificate chain and its private key. Both empty: plain HTTP (behind a
    /// reverse proxy that terminates TLS).
    std::string tls_certificate;
    std::string tls_private_key;
    std::vector<std::string> cors_origins{"*"};  ///< "*" allows any origin; empty disables CORS
    std::string public_url;  ///< base URL written in discovery; derived when empty
    /// Headers added to every answer, the transport's own errors included. Not a file
    /// setting: a mode of the server that must announce itself sets it (`open311d sandbox`).
    std::vector<std::pair<std::string, std::string>> response_headers;

    // [database]
    std::string db_path = "open311d.db";
    /// full: a commit is on disk before the answer (survives power loss); normal: survives a
    /// crash of the process only. See docs/reliability.md.
    std::string db_synchronous = "full";
    /// PostgreSQL: connections each server keeps open at most (database.pool_size).
    std::size_t db_pool_size = 10;
    bool demo = false;  ///< load the demo catalogue when there are no services

    // [api]
    Profile profile;
    std::vector<std::string> jurisdictions{"hel.fi"};
    std::string default_locale = "en";
    std::vector<std::string> locales{"en", "fi", "sv"};
    std::string contact = "Open311 service, feedback@example.org";
    std::string key_service = "Ask the city's feedback team for an API key.";
    std::string environment = "production";  ///< discovery endpoint type: production | test
    bool moderate_client_updates = true;     ///< updates posted with client keys wait for staff
    bool extended_update_statuses = true;  ///< updates feed: FMS extended states, else open/closed

    // [moderation]
    /// A request whose sender did not allow publication stays pending in either mode.
    NewRequests new_requests = NewRequests::pending;

    // [mail]
    std::string mail_templates_dir;  ///< overrides the compiled-in templates file by file
    MailSettings mail;

    // [media]
    std::string media_dir;            ///< uploaded files; empty: "media" beside the database file
    std::size_t media_max_files = 3;  ///< files per request (Helsinki: 3)
    std::size_t media_max_total_bytes = 50'000'000;  ///< all files of one request (50 MB)
    std::string media_public_url;           ///< base of media links; empty: derived, see docs
    unsigned media_max_age_seconds = 3600;  ///< Cache-Control max-age of public media

    // [limits] Abuse control for POSTs; a rate of 0 turns that limit off.
    int key_posts_per_minute = 600;  ///< per API key, unless the key has its own limit
    int key_burst = 100;
    int ip_posts_per_minute = 10;  ///< per client address
    int ip_burst = 20;
    /// Proxies (addresses or CIDR ranges) whose X-Forwarded-For names the client.
    std::vector<std::string> trusted_proxies;
    unsigned idempotency_ttl_hours = 24;  ///< how long an Idempotency-Key is remembered
    unsigned usage_flush_seconds = 10;    ///< how often usage counters are written

    // [initiatives]
    InitiativeSettings initiatives;
    // [console]
    ConsoleSettings console;

    // [metrics]
    MetricsSettings metrics;

    // [log]
    std::string log_level = "info";
    LogFormat log_format = LogFormat::text;
    /// The access log: off when false; otherwise every answer with status 400 or above, and
    /// the others with probability access_log_sample (1: all, 0: errors only).
    bool access_log = true;
    double access_log_sample = 1.0;
    /// A header (such as X-Request-Id) whose value, sent by a trusted proxy
    /// (limits.trusted_proxies), becomes the request id; empty: ids are always made here.
    std::string request_id_header;
};

/// Whether the initiatives API is served: as set, else with the demo data.
inline bool initiatives_enabled(const Config& c) {
    return c.initiatives.enabled.value_or(c.demo);
}

/// "https" when the server terminates TLS itself, else "http".
inline const char* listen_scheme(const Config& c) {
    return c.tls_certificate.empty() ? "http" : "https";
}

/// Raised when a setting is unknown or has an invalid value; what() names the key.
class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Settings given on the command line, already named as config keys ("server.listen" →
/// "HOST:PORT").
using SettingOverrides = std::map<std::string, std::string>;

/// The sender of notification e-mail when a relay is named by `serve --smtp` alone.
inline constexpr std::string_view kLocalRelaySender = "open311d@localhost";

/// Builds the configuration: defaults < profile < config file < OPEN311_* environment < flags.
/// `environment` holds "NAME=VALUE" strings (normally environ). Throws ConfigError.
Config load_config(const std::optional<std::string>& file,
                   const std::vector<std::string>& environment,
                   const SettingOverrides& flags);

/// The environment of this process as "NAME=VALUE" strings.
std::vector<std::string> process_environment();

}  // namespace open311
