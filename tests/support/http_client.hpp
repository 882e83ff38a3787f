#pragma once

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace open311::test {

/// The Content-Type of the server's JSON and XML answers.
inline constexpr const char* kJsonType = "application/json; charset=utf-8";
inline constexpr const char* kXmlType = "text/xml; charset=utf-8";

/// An HTTP response as seen by a client. Header names are lowercase.
struct Response {
    int status = 0;
    std::map<std::string, std::string> headers;
    std::string body;

    std::string header(const std::string& name) const;
    /// The body parsed as JSON (fails the test when it is not).
    nlohmann::json json() const;
    /// The body parsed as XML (fails the test when it is not well-formed).
    std::shared_ptr<pugi::xml_document> xml() const;
};

/// A small synchronous HTTP/1.1 client over a real loopback socket.
class HttpClient {
public:
    explicit HttpClient(std::uint16_t port) : port_(port) {}

    Response request(const std::string& method,
                     const std::string& target,
                     const std::string& body = "",
                     const std::map<std::string, std::string>& headers = {}) const;
    Response get(const std::string& target,
                 const std::map<std::string, std::string>& headers = {}) const {
        return request("GET", target, "", headers);
    }
    /// POST with application/x-www-form-urlencoded.
    Response post_form(const std::string& target, const std::string& body) const {
        return request(
            "POST", target, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
    }
    /// Sends raw bytes and returns whatever the server answers before closing.
    std::string send_raw(const std::string& bytes) const;

private:
    std::uint16_t port_;
};

/// Percent-encodes a form value.
std::string form_encode(const std::string& value);
/// Builds a form body from name/value pairs, encoding both.
std::string form(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace open311::test
