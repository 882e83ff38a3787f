// GET /openapi.json lists exactly the routes of the route table, and describes the server as
// configured (base paths, jurisdictions, optional APIs). Through Api::handle, no socket.
#include "api/api.hpp"
#include "support/temp_dir.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <utility>

namespace open311::api {
namespace {

using Routes = std::set<std::pair<std::string, std::string>>;

class OpenApiDocument : public ::testing::Test {
protected:
    void start(const std::function<void(Config&)>& tweak = {}) {
        config_.db_path = dir_.path() + "/test.db";
        config_.media_dir = dir_.path() + "/media";
        config_.log_level = "warn";
        config_.db_synchronous = "normal";
        if (tweak) {
            tweak(config_);
        }
        store_ = make_store(config_);
        api_ = std::make_unique<Api>(config_, *store_);
    }

    HttpResponse get(const std::string& target) const {
        HttpRequest r;
        r.method = Method::get;
        r.target = target;
        return api_->handle(r);
    }

    nlohmann::json document() const {
        auto r = get("/openapi.json");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
        return nlohmann::json::parse(r.body);
    }

    /// The (method, path) pairs of the route table.
    Routes table() const {
        Routes out;
        for (const auto& route : api_->routes()) {
            out.emplace(to_string(route.method), route.path);
        }
        return out;
    }

    /// The (method, path) pairs of the document, with the format suffix taken off the path:
    /// "/open311/v2/requests.{format}" is the route "/open311/v2/requests".
    static Routes described(const nlohmann::json& doc) {
        Routes out;
        for (const auto& [path, item] : doc.at("paths").items()) {
            std::string route = path;
            const std::string suffix = ".{format}";
            if (route.size() > suffix.size() &&
                route.compare(route.size() - suffix.size(), suffix.size(), suffix) == 0) {
                route.resize(route.size() - suffix.size());
            }
            for (const auto& [method, op] : item.items()) {
                std::string upper;
                for (char c : method) {
                    upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                }
                out.emplace(upper, route);
            }
        }
        return out;
    }

    test::TempDir dir_;
    Config config_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Api> api_;
};

TEST_F(OpenApiDocument, ListsExactlyTheRoutesOfTheTable) {
    start();
    const auto doc = document();
    EXPECT_EQ(doc.at("openapi"), "3.1.0");
    EXPECT_EQ(described(doc), table());
    EXPECT_TRUE(table().count({"GET", "/open311/v2/requests/{service_request_id}"}));
    EXPECT_FALSE(doc.at("paths").contains("/api/v1/initiatives"));
}

TEST_F(OpenApiDocument, ListsTheInitiativesApiWhenEnabled) {
    start([](Config& c) {
        c.initiatives.enabled = true;
        c.initiatives.base_path = "/aloitteet/v1";
    });
    const auto doc = document();
    EXPECT_EQ(described(doc), table());
    EXPECT_TRUE(doc.at("paths").contains("/aloitteet/v1/initiatives/{id}"));
    EXPECT_TRUE(doc.at("paths").contains("/admin/v1/initiatives/{id}"));
}

TEST_F(OpenApiDocument, DescribesTheConfiguredServer) {
    start([](Config& c) {
        c.base_path = "/feedback/v2";
        c.public_url = "https://palaute.example.fi/feedback/v2";
        c.jurisdictions = {"hel.fi", "espoo.fi"};
        c.profile.name = "helsinki";
        c.profile.empty_value_json = EmptyValue::null;
    });
    const auto doc = document();
    EXPECT_EQ(doc.at("servers").at(0).at("url"), "https://palaute.example.fi");
    EXPECT_TRUE(doc.at("paths").contains("/feedback/v2/requests.{format}"));
    EXPECT_FALSE(doc.at("paths").contains("/open311/v2/requests.{format}"));
    EXPECT_EQ(described(doc), table());
    const auto& jurisdiction = doc.at("components").at("parameters").at("jurisdiction_id");
    EXPECT_EQ(jurisdiction.at("required"), true);
    EXPECT_EQ(jurisdiction.at("schema").at("enum"), nlohmann::json({"hel.fi", "espoo.fi"}));
    const auto& profile = doc.at("info").at("x-open311-profile");
    EXPECT_EQ(profile.at("name"), "helsinki");
    EXPECT_EQ(profile.at("empty_value_json"), "null");
}

TEST_F(OpenApiDocument, EveryReferenceResolves) {
    start([](Config& c) { c.initiatives.enabled = true; });
    const auto doc = document();
    std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& node) {
        if (node.is_object()) {
            if (auto ref = node.find("$ref"); ref != node.end()) {
                const auto pointer = ref->get<std::string>().substr(1);
                EXPECT_TRUE(doc.contains(nlohmann::json::json_pointer(pointer))) << pointer;
            }
            for (const auto& [key, value] : node.items()) {
                walk(value);
            }
        } else if (node.is_array()) {
            for (const auto& value : node) {
                walk(value);
            }
        }
    };
    walk(doc);
}

TEST_F(OpenApiDocument, TheReferencePageRunsOnlyItsOwnScript) {
    start();
    const auto page = get("/docs/");
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
    std::string policy;
    for (const auto& [name, value] : page.headers) {
        if (name == "Content-Security-Policy") {
            EXPECT_TRUE(policy.empty()) << "one policy only";
            policy = value;
        }
    }
    EXPECT_NE(policy.find("script-src 'self'"), std::string::npos) << policy;
    EXPECT_EQ(policy.find("unsafe-inline"), std::string::npos) << policy;
    EXPECT_NE(policy.find("default-src 'none'"), std::string::npos) << policy;
    EXPECT_NE(page.body.find("src=\"docs.js\""), std::string::npos);

    const auto script = get("/docs/docs.js");
    EXPECT_EQ(script.status, 200);
    EXPECT_EQ(script.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(get("/docs/docs.css").content_type, "text/css; charset=utf-8");
    EXPECT_EQ(get("/docs/nothing.js").status, 404);

    const auto bare = get("/docs");
    EXPECT_EQ(bare.status, 308);
}

}  // namespace
}  // namespace open311::api
