#include "support/server_fixture.hpp"

#include "catalogue/catalogue_file.hpp"
#include "support/postgres_scratch.hpp"
#include "support/response_recorder.hpp"
#include "util/embedded.hpp"
#include "workflow/keys.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

namespace open311::test {

TestServer::TestServer(const std::function<void(Config&)>& tweak) {
    config_.listen_host = "127.0.0.1";
    config_.listen_port = 0;
    config_.db_path = dir_.path() + "/test.db";
    if (const char* backend = std::getenv("OPEN311D_TEST_SERVER_BACKEND");
        backend != nullptr && std::string(backend) == "postgres") {
        postgres_ = std::make_unique<PostgresSchema>();
        config_.db_path = postgres_->url();
        config_.media_dir = dir_.path() + "/media";
    }
    config_.access_log = false;
    config_.io_threads = 2;
    config_.worker_threads = 4;
    config_.log_level = "warn";
    // Tests send many POSTs from one address; the rate-limit tests turn the limits back on.
    config_.ip_posts_per_minute = 0;
    config_.key_posts_per_minute = 0;
    if (tweak) {
        tweak(config_);
    }
    store_ = make_store(config_);
    store_->upsert_services(
        catalogue::parse_catalogue(std::string(embedded_demo_catalogue().front().content)));
    client_key = create_key("test-client", Role::client);
    staff_key = create_key("test-staff", Role::staff);
    admin_key = create_key("test-admin", Role::admin);
    server_ = std::make_unique<Server>(config_, *store_);
    server_->start();
    register_server(server_->port(), config_);
}

TestServer::~TestServer() {
    server_->stop();
    server_.reset();
    store_.reset();
}

std::string TestServer::create_key(const std::string& name,
                                   Role role,
                                   std::optional<Timestamp> expires) {
    ApiKey key;
    key.name = name;
    key.role = role;
    key.expires_at = expires;
    auto secret = workflow::issue_key(*store_, key);
    EXPECT_TRUE(secret.has_value());
    return secret.value_or("");
}

std::string TestServer::submit(const std::vector<std::pair<std::string, std::string>>& extra,
                               bool can_be_published) {
    std::vector<std::pair<std::string, std::string>> fields = {
        {"api_key", client_key},
        {"service_code", "171"},
        {"lat", "60.1699"},
        {"long", "24.9384"},
        {"description", "Iso kuoppa ajoradalla Mannerheimintiellä"},
        {"can_be_published", can_be_published ? "true" : "false"},
    };
    for (const auto& [name, value] : extra) {
        bool replaced = false;
        for (auto& f : fields) {
            if (f.first == name) {
                f.second = value;
                replaced = true;
            }
        }
        if (!replaced) {
            fields.emplace_back(name, value);
        }
    }
    auto r = client().post_form(base() + "/requests.json", form(fields));
    EXPECT_EQ(r.status, 200) << r.body;
    auto j = r.json();
    if (!j.is_array() || j.empty() || !j[0].contains("service_request_id")) {
        ADD_FAILURE() << "unexpected POST answer: " << r.body;
        return {};
    }
    return j[0]["service_request_id"].get<std::string>();
}

void TestServer::publish(const std::string& id) {
    auto r = client().request("POST",
                              "/admin/v1/requests/" + id + "/publish",
                              "",
                              {{"Authorization", "Bearer " + staff_key}});
    EXPECT_EQ(r.status, 200) << r.body;
}

std::string TestServer::submit_published(
    const std::vector<std::pair<std::string, std::string>>& extra) {
    auto id = submit(extra, true);
    publish(id);
    return id;
}

void collect_keys(const nlohmann::json& j, std::vector<std::string>& out) {
    if (j.is_object()) {
        for (const auto& [key, value] : j.items()) {
            out.push_back(key);
            collect_keys(value, out);
        }
    } else if (j.is_array()) {
        for (const auto& item : j) {
            collect_keys(item, out);
        }
    }
}

void collect_names(const pugi::xml_node& node, std::vector<std::string>& out) {
    for (auto child : node.children()) {
        if (child.type() == pugi::node_element) {
            out.emplace_back(child.name());
            collect_names(child, out);
        }
    }
}

}  // namespace open311::test
