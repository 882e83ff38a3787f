#include "support/console_browser.hpp"

#include "workflow/users.hpp"

#include <gtest/gtest.h>

namespace open311::test {

std::string ConsolePage::text(const std::string& xpath) const {
    auto node = doc->select_node(xpath.c_str());
    return node ? std::string(node.node().text().get()) : std::string();
}

std::string ConsolePage::attr(const std::string& xpath) const {
    auto node = doc->select_node(xpath.c_str());
    return node ? std::string(node.attribute().value()) : std::string();
}

ConsolePage ConsoleBrowser::send(const std::string& method,
                                 const std::string& target,
                                 const std::string& body) {
    std::map<std::string, std::string> headers{{"Accept-Language", accept_language_}};
    std::string jar;
    for (const auto& [name, value] : cookies) {
        jar += (jar.empty() ? "" : "; ") + name + "=" + value;
    }
    if (!jar.empty()) {
        headers["Cookie"] = jar;
    }
    if (htmx) {
        headers["HX-Request"] = "true";
    }
    if (method == "POST") {
        headers["Content-Type"] = "application/x-www-form-urlencoded";
    }
    ConsolePage page;
    page.response = HttpClient(port_).request(method, target, body, headers);
    // One Set-Cookie per console answer: name=value; attributes.
    const auto set = page.response.header("set-cookie");
    if (!set.empty()) {
        const auto eq = set.find('=');
        const auto end = set.find(';');
        const auto name = set.substr(0, eq);
        const auto value = set.substr(eq + 1, end - eq - 1);
        if (set.find("Max-Age=0") != std::string::npos) {
            cookies.erase(name);
        } else {
            cookies[name] = value;
        }
    }
    page.doc = std::make_shared<pugi::xml_document>();
    if (page.response.header("content-type").rfind("text/html", 0) == 0) {
        auto parsed = page.doc->load_string(page.response.body.c_str());
        EXPECT_TRUE(parsed) << "not well-formed (" << parsed.description() << " at "
                            << parsed.offset << "): " << page.response.body;
    }
    return page;
}

ConsolePage ConsoleBrowser::get(const std::string& target) {
    return send("GET", target, "");
}

ConsolePage ConsoleBrowser::post(const std::string& target,
                                 const std::vector<std::pair<std::string, std::string>>& fields) {
    return send("POST", target, form(fields));
}

ConsolePage ConsoleBrowser::sign_in(const std::string& name, const std::string& password) {
    auto login = get("/staff/login");
    return post("/staff/login",
                {{"csrf", csrf(login)}, {"username", name}, {"password", password}});
}

std::string ConsoleBrowser::csrf(const ConsolePage& page) {
    return page.attr("//input[@name='csrf']/@value");
}

std::string ConsoleBrowser::csrf() {
    return csrf(get("/staff/settings"));
}

void create_console_user(TestServer& server,
                         const std::string& name,
                         Role role,
                         const std::string& password) {
    auto created = workflow::create_user(server.store(), name, role, password, "test");
    ASSERT_TRUE(created.ok()) << created.errors.front().description;
}

}  // namespace open311::test
