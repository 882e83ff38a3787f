// [server]: where to listen, threads, request limits and timeouts, TLS, CORS.
#include "config/settings.hpp"

namespace open311::config {
namespace {

void apply_listen(Config& c, const std::string& key, const std::string& value) {
    auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0) {
        invalid(key, value, "expected HOST:PORT");
    }
    std::string host = value.substr(0, colon);
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    c.listen_host = host;
    c.listen_port = parse_integer<std::uint16_t>(key, value.substr(colon + 1), 0, 65535);
}

void apply_base_path(Config& c, const std::string& key, const std::string& value) {
    if (!value.empty() && (value.front() != '/' || value.back() == '/')) {
        invalid(key, value, "expected a path starting with '/' and not ending with '/', or empty");
    }
    c.base_path = value;
}

}  // namespace

void add_server_settings(SettingTable& table) {
    using Size = std::size_t;
    table.insert({
        {"server.listen", apply_listen},
        {"server.base_path", apply_base_path},
        {"server.public_url", base_url(&Config::public_url)},
        {"server.io_threads", whole_number(1U, 256U, &Config::io_threads)},
        {"server.worker_threads", whole_number(1U, 256U, &Config::worker_threads)},
        {"server.max_body_bytes", whole_number<Size>(1024, Size{1} << 32, &Config::max_body_bytes)},
        {"server.max_multipart_bytes",
         whole_number<Size>(1024, Size{1} << 34, &Config::max_multipart_bytes)},
        {"server.max_inflight_body_bytes",
         whole_number<Size>(1024 * 1024, Size{1} << 36, &Config::max_inflight_body_bytes)},
        {"server.max_header_bytes",
         whole_number<Size>(1024, 1024 * 1024, &Config::max_header_bytes)},
        {"server.max_connections", whole_number<Size>(1, 1000000, &Config::max_connections)},
        {"server.header_timeout_seconds", whole_number(1U, 3600U, &Config::header_timeout_seconds)},
        {"server.idle_timeout_seconds", whole_number(1U, 86400U, &Config::idle_timeout_seconds)},
        {"server.request_timeout_seconds",
         whole_number(1U, 3600U, &Config::request_timeout_seconds)},
        {"server.upload_timeout_seconds",
         whole_number(1U, 86400U, &Config::upload_timeout_seconds)},
        {"server.shutdown_grace_seconds", whole_number(0U, 3600U, &Config::shutdown_grace_seconds)},
        {"server.tls_certificate", text(&Config::tls_certificate)},
        {"server.tls_private_key", text(&Config::tls_private_key)},
        {"server.cors_origins", list(&Config::cors_origins)},
    });
}

void check_server_settings(const Config& config) {
    if (config.tls_certificate.empty() != config.tls_private_key.empty()) {
        throw ConfigError(config.tls_certificate.empty()
                              ? "missing setting 'server.tls_certificate': required with "
                                "server.tls_private_key"
                              : "missing setting 'server.tls_private_key': required with "
                                "server.tls_certificate");
    }
}

}  // namespace open311::config
