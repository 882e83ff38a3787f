// The API as a pure function of a request: handlers called through Api::handle, no socket.
#include "api/api.hpp"
#include "catalogue/catalogue_file.hpp"
#include "support/temp_dir.hpp"
#include "util/embedded.hpp"
#include "workflow/keys.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include <memory>
#include <string>

namespace open311::api {
namespace {

class ApiHandlers : public ::testing::Test {
protected:
    void SetUp() override {
        config_.db_path = dir_.path() + "/test.db";
        config_.media_dir = dir_.path() + "/media";
        config_.ip_posts_per_minute = 0;
        config_.key_posts_per_minute = 0;
        config_.log_level = "warn";
        config_.db_synchronous = "normal";
        store_ = make_store(config_);
        store_->upsert_services(
            catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
        client_ = key("client", Role::client);
        staff_ = key("staff", Role::staff);
        admin_ = key("admin", Role::admin);
        api_ = std::make_unique<Api>(config_, *store_);
    }

    std::string key(const std::string& name, Role role) {
        ApiKey k;
        k.name = name;
        k.role = role;
        return workflow::issue_key(*store_, k).value_or("");
    }

    HttpResponse get(const std::string& target, const std::string& bearer = "") const {
        HttpRequest r;
        r.method = Method::get;
        r.target = target;
        if (!bearer.empty()) {
            r.authorization = "Bearer " + bearer;
        }
        return api_->handle(r);
    }

    HttpResponse post(const std::string& target,
                      const std::string& body,
                      const std::string& bearer = "",
                      const std::string& content_type = "application/x-www-form-urlencoded") const {
        HttpRequest r;
        r.method = Method::post;
        r.target = target;
        r.body = body;
        r.content_type = content_type;
        r.client_address = "127.0.0.1";
        if (!bearer.empty()) {
            r.authorization = "Bearer " + bearer;
        }
        return api_->handle(r);
    }

    /// Submits a request through POST requests.json; returns its id.
    std::string submit() const {
        auto r = post("/open311/v2/requests.json",
                      "api_key=" + client_ +
                          "&service_code=171&lat=60.1699&long=24.9384"
                          "&description=Kuoppa+ajoradalla&can_be_published=true");
        EXPECT_EQ(r.status, 200) << r.body;
        auto j = nlohmann::json::parse(r.body);
        return j.at(0).at("service_request_id").get<std::string>();
    }

    static std::string header(const HttpResponse& r, const std::string& name) {
        for (const auto& [n, v] : r.headers) {
            if (n == name) {
                return v;
            }
        }
        return {};
    }

    test::TempDir dir_;
    Config config_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Api> api_;
    std::string client_;
    std::string staff_;
    std::string admin_;
};

TEST_F(ApiHandlers, ServiceListIsJsonWithTheCatalogue) {
    auto r = get("/open311/v2/services.json?locale=fi");
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "application/json; charset=utf-8");
    auto j = nlohmann::json::parse(r.body);
    ASSERT_TRUE(j.is_array());
    bool found = false;
    for (const auto& s : j) {
        found = found || s.at("service_code") == "171";
    }
    EXPECT_TRUE(found);
}

TEST_F(ApiHandlers, PublishedRequestIsReadBackByIdAndInTheList) {
    const auto id = submit();
    auto published = post("/admin/v1/requests/" + id + "/publish", "", staff_);
    ASSERT_EQ(published.status, 200) << published.body;
    EXPECT_EQ(nlohmann::json::parse(published.body).at("state"), "published");

    auto one = get("/open311/v2/requests/" + id + ".xml");
    ASSERT_EQ(one.status, 200) << one.body;
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_string(one.body.c_str()));
    EXPECT_EQ(std::string(doc.child("service_requests")
                              .child("request")
                              .child("service_request_id")
                              .text()
                              .as_string()),
              id);

    auto list = get("/open311/v2/requests.json?service_code=171");
    ASSERT_EQ(list.status, 200);
    auto items = nlohmann::json::parse(list.body);
    ASSERT_EQ(items.size(), 1U);
    EXPECT_EQ(items[0].at("service_request_id"), id);
    EXPECT_EQ(header(list, "X-Total-Count"), "1");
}

TEST_F(ApiHandlers, PendingRequestIsNotListed) {
    submit();
    auto list = get("/open311/v2/requests.json");
    ASSERT_EQ(list.status, 200);
    EXPECT_TRUE(nlohmann::json::parse(list.body).empty());
}

TEST_F(ApiHandlers, StaffRoutesCheckTheRoleOfTheRouteTable) {
    auto none = get("/admin/v1/requests");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(header(none, "WWW-Authenticate"), "Bearer");
    EXPECT_EQ(get("/admin/v1/requests", client_).status, 403);
    EXPECT_EQ(get("/admin/v1/requests", staff_).status, 200);
    // /admin/v1/keys needs the admin role: a staff key is refused before the handler runs.
    auto staff_on_keys = get("/admin/v1/keys", staff_);
    EXPECT_EQ(staff_on_keys.status, 403);
    EXPECT_NE(nlohmann::json::parse(staff_on_keys.body).dump().find("admin key"),
              std::string::npos);
    auto keys = get("/admin/v1/keys", admin_);
    ASSERT_EQ(keys.status, 200);
    EXPECT_EQ(nlohmann::json::parse(keys.body).at("keys").size(), 3U);
}

TEST_F(ApiHandlers, StaffActionIsAuditedWithTheKeyName) {
    const auto id = submit();
    auto rejected =
        post("/admin/v1/requests/" + id + "/reject", R"({"reason": "duplicate"})", staff_, "");
    ASSERT_EQ(rejected.status, 200) << rejected.body;
    auto record = nlohmann::json::parse(get("/admin/v1/requests/" + id, staff_).body);
    EXPECT_EQ(record.at("state"), "rejected");
    EXPECT_EQ(record.at("reject_reason"), "duplicate");
    ASSERT_EQ(record.at("audit").size(), 1U);
    EXPECT_EQ(record["audit"][0].at("action"), "request.reject");
    EXPECT_EQ(record["audit"][0].at("actor"), "staff");
    // Rejected requests are not public, not even by id.
    EXPECT_EQ(get("/open311/v2/requests/" + id + ".json").status, 404);
}

TEST_F(ApiHandlers, UnknownPathIsNotFoundInTheRequestedFormat) {
    auto r = get("/open311/v2/nothing.json");
    EXPECT_EQ(r.status, 404);
    auto j = nlohmann::json::parse(r.body);
    ASSERT_TRUE(j.is_array());
    EXPECT_EQ(j.at(0).at("code"), 404);
}

}  // namespace
}  // namespace open311::api
