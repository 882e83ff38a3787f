#pragma once

#include "support/http_client.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace open311::test {

/// A self-signed certificate for 127.0.0.1 made with the openssl command into `dir`;
/// returns {certificate path, key path}.
std::pair<std::string, std::string> make_test_certificate(const std::string& dir);

/// How the test client speaks TLS. Versions are OpenSSL's constants (TLS1_2_VERSION...);
/// 0 leaves the library's default.
struct TlsClientOptions {
    std::string ca_file;  ///< the certificate to trust; the server's name must be 127.0.0.1
    int min_version = 0;
    int max_version = 0;
    bool legacy = false;  ///< security level 0, so that the client may offer TLS 1.0/1.1
};

/// The outcome of one HTTPS request on a new connection.
struct TlsResult {
    bool handshake = false;  ///< false: the TLS handshake failed (see `error`)
    std::string error;
    std::string protocol;  ///< e.g. "TLSv1.3"
    Response response;
};

/// Connects to 127.0.0.1:`port`, verifies the server's certificate against
/// `options.ca_file` and sends one request.
TlsResult https_request(std::uint16_t port,
                        const TlsClientOptions& options,
                        const std::string& method,
                        const std::string& target,
                        const std::string& body = "",
                        const std::map<std::string, std::string>& headers = {});

}  // namespace open311::test
