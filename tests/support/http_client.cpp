#include "support/http_client.hpp"

#include "support/response_recorder.hpp"

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>

#include <cctype>

namespace open311::test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string Response::header(const std::string& name) const {
    std::string lower;
    for (char c : name) {
        lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    auto it = headers.find(lower);
    return it == headers.end() ? std::string() : it->second;
}

nlohmann::json Response::json() const {
    auto j = nlohmann::json::parse(body, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << "not JSON: " << body.substr(0, 500);
    return j;
}

std::shared_ptr<pugi::xml_document> Response::xml() const {
    auto doc = std::make_shared<pugi::xml_document>();
    auto result = doc->load_buffer(body.data(), body.size());
    EXPECT_TRUE(result) << "not well-formed XML: " << result.description() << "\n"
                        << body.substr(0, 500);
    return doc;
}

Response HttpClient::request(const std::string& method,
                             const std::string& target,
                             const std::string& body,
                             const std::map<std::string, std::string>& headers) const {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [name, value] : headers) {
        req.set(name, value);
    }
    if (!body.empty() || method == "POST") {
        req.body() = body;
        req.prepare_payload();
    }
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(256 * 1024 * 1024);
    parser.skip(method == "HEAD");
    http::read(stream, buffer, parser);
    auto& res = parser.get();
    Response out;
    out.status = static_cast<int>(res.result_int());
    for (const auto& field : res) {
        std::string name(field.name_string());
        for (auto& c : name) {
            c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        }
        out.headers[name] = std::string(field.value());
    }
    out.body = res.body();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    record_response(port_, method, target, out);
    return out;
}

std::string HttpClient::send_raw(const std::string& bytes) const {
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port_));
    net::write(socket, net::buffer(bytes));
    std::string out;
    beast::error_code ec;
    char chunk[4096];
    for (;;) {
        auto n = socket.read_some(net::buffer(chunk), ec);
        out.append(chunk, n);
        if (ec) {
            break;
        }
    }
    return out;
}

std::string form_encode(const std::string& value) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : value) {
        auto u = static_cast<unsigned char>(c);
        if (std::isalnum(u) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
            out += c;
        } else if (c == ' ') {
            out += '+';
        } else {
            out += '%';
            out += kHex[u >> 4U];
            out += kHex[u & 15U];
        }
    }
    return out;
}

std::string form(const std::vector<std::pair<std::string, std::string>>& fields) {
    std::string out;
    for (const auto& [name, value] : fields) {
        out += (out.empty() ? "" : "&") + form_encode(name) + "=" + form_encode(value);
    }
    return out;
}

}  // namespace open311::test
