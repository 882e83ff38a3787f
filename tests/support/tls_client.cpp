#include "support/tls_client.hpp"

#include "support/child_process.hpp"

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

#include <cctype>
#include <stdexcept>

namespace open311::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;

std::pair<std::string, std::string> make_test_certificate(const std::string& dir) {
    const std::string cert = dir + "/test-cert.pem";
    const std::string key = dir + "/test-key.pem";
    ChildProcess openssl({"/usr/bin/openssl",
                          "req",
                          "-x509",
                          "-newkey",
                          "ec",
                          "-pkeyopt",
                          "ec_paramgen_curve:prime256v1",
                          "-nodes",
                          "-days",
                          "1",
                          "-subj",
                          "/CN=127.0.0.1",
                          "-addext",
                          "subjectAltName=IP:127.0.0.1",
                          "-keyout",
                          key,
                          "-out",
                          cert},
                         {},
                         dir,
                         "openssl");
    if (openssl.wait() != 0) {
        throw std::runtime_error("openssl could not make a test certificate: " + openssl.err());
    }
    return {cert, key};
}

TlsResult https_request(std::uint16_t port,
                        const TlsClientOptions& options,
                        const std::string& method,
                        const std::string& target,
                        const std::string& body,
                        const std::map<std::string, std::string>& headers) {
    TlsResult result;
    net::io_context ioc;
    ssl::context context(ssl::context::tls_client);
    if (options.legacy) {
        SSL_CTX_set_security_level(context.native_handle(), 0);
    }
    if (options.min_version != 0) {
        SSL_CTX_set_min_proto_version(context.native_handle(), options.min_version);
    }
    if (options.max_version != 0) {
        SSL_CTX_set_max_proto_version(context.native_handle(), options.max_version);
    }
    context.load_verify_file(options.ca_file);
    context.set_verify_mode(ssl::verify_peer);
    beast::ssl_stream<beast::tcp_stream> stream(ioc, context);
    stream.set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    beast::get_lowest_layer(stream).connect(
        tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
    beast::error_code ec;
    stream.handshake(ssl::stream_base::client, ec);
    if (ec) {
        result.error = ec.message();
        return result;
    }
    result.handshake = true;
    result.protocol = SSL_get_version(stream.native_handle());

    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    req.body() = body;
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response<http::string_body> res;
    http::read(stream, buffer, res);
    result.response.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        result.response.headers[name] = std::string(field.value());
    }
    result.response.body = std::move(res.body());
    stream.shutdown(ec);  // close_notify both ways; the server's answer ends the session
    return result;
}

}  // namespace open311::test
