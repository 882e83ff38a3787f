#include "http/tls.hpp"

#include <boost/asio/ssl/context.hpp>
#include <openssl/ssl.h>

#include <stdexcept>

namespace open311::http {

namespace ssl = boost::asio::ssl;

std::unique_ptr<ssl::context> make_tls_context(const Config& c) {
    auto context = std::make_unique<ssl::context>(ssl::context::tls_server);
    context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                         ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                         ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
    // TLS 1.2: forward-secret AEAD suites only (TLS 1.3 suites are all of that kind already).
    SSL_CTX_set_cipher_list(context->native_handle(),
                            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
                            "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
                            "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305");
    SSL_CTX_set_options(context->native_handle(), SSL_OP_CIPHER_SERVER_PREFERENCE);
    boost::system::error_code ec;
    context->use_certificate_chain_file(c.tls_certificate, ec);
    if (ec) {
        throw std::runtime_error("server.tls_certificate: cannot load '" + c.tls_certificate +
                                 "': " + ec.message());
    }
    context->use_private_key_file(c.tls_private_key, ssl::context::pem, ec);
    if (ec) {
        throw std::runtime_error("server.tls_private_key: cannot load '" + c.tls_private_key +
                                 "': " + ec.message());
    }
    if (SSL_CTX_check_private_key(context->native_handle()) != 1) {
        throw std::runtime_error("server.tls_private_key: does not match server.tls_certificate");
    }
    return context;
}

}  // namespace open311::http
