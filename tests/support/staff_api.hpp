#pragma once

#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace open311::test {

/// One call to the staff API with a Bearer key ("" sends none) and an optional JSON body.
inline Response staff_call(const TestServer& server,
                           const std::string& method,
                           const std::string& target,
                           const std::string& key,
                           const std::string& body = "") {
    std::map<std::string, std::string> headers;
    if (!key.empty()) {
        headers["Authorization"] = "Bearer " + key;
    }
    if (!body.empty()) {
        headers["Content-Type"] = "application/json";
    }
    return server.client().request(method, target, body, headers);
}

/// The descriptions of a staff API error body ([{"code": …, "description": …}]), joined by
/// newlines; fails the test when the body is not such a list with `code`.
inline std::string error_text(const Response& r, int code) {
    EXPECT_EQ(r.status, code) << r.body;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    EXPECT_TRUE(j.is_array() && !j.empty()) << r.body;
    std::string out;
    if (j.is_array()) {
        for (const auto& e : j) {
            EXPECT_EQ(e.value("code", 0), code) << r.body;
            out += e.value("description", "") + "\n";
        }
    }
    return out;
}

/// True when `text` holds `part`.
inline bool has(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

}  // namespace open311::test
