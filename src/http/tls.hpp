#pragma once

#include "open311/config.hpp"

#include <memory>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace open311::http {

/// A TLS 1.2+ server context (forward-secret AEAD suites only) with the configured certificate
/// chain and private key. Throws std::runtime_error naming the setting when a file cannot be
/// loaded or the key does not match the certificate.
std::unique_ptr<boost::asio::ssl::context> make_tls_context(const Config& config);

}  // namespace open311::http
