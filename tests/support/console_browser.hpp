#pragma once

// A minimal browser for the staff console tests: keeps the cookies the server sets, parses
// every page as XHTML (the console writes well-formed markup) and finds forms' CSRF tokens.
#include "support/http_client.hpp"
#include "support/server_fixture.hpp"

#include <pugixml.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace open311::test {

/// A console answer: the response and, for HTML, its parsed document.
struct ConsolePage {
    Response response;
    std::shared_ptr<pugi::xml_document> doc;
    int status() const { return response.status; }
    /// The nodes an XPath selects.
    pugi::xpath_node_set all(const std::string& xpath) const {
        return doc->select_nodes(xpath.c_str());
    }
    /// The text of the first node an XPath selects ("" when none).
    std::string text(const std::string& xpath) const;
    /// The value of the first attribute an XPath selects ("" when none).
    std::string attr(const std::string& xpath) const;
};

class ConsoleBrowser {
public:
    explicit ConsoleBrowser(TestServer& server, std::string accept_language = "en")
        : port_(server.port()), accept_language_(std::move(accept_language)) {}
    /// A browser of any console on this machine (the sandbox's, say).
    explicit ConsoleBrowser(std::uint16_t port, std::string accept_language = "en")
        : port_(port), accept_language_(std::move(accept_language)) {}

    ConsolePage get(const std::string& target);
    ConsolePage post(const std::string& target,
                     const std::vector<std::pair<std::string, std::string>>& fields);
    /// Opens the sign-in page and signs in; returns the answer to the POST.
    ConsolePage sign_in(const std::string& name, const std::string& password);
    /// The CSRF token of the forms of `page`.
    static std::string csrf(const ConsolePage& page);
    /// The CSRF token of the session (read from the queue page).
    std::string csrf();
    std::map<std::string, std::string> cookies;
    /// Sends HX-Request: true, as htmx does: the console answers with the changed part.
    bool htmx = false;

private:
    ConsolePage send(const std::string& method, const std::string& target, const std::string& body);
    std::uint16_t port_;
    std::string accept_language_;
};

/// Creates a console user directly through the workflow.
void create_console_user(TestServer& server,
                         const std::string& name,
                         Role role,
                         const std::string& password = "a long password!");

}  // namespace open311::test
