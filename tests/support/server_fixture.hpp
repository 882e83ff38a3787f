#pragma once

#include "support/http_client.hpp"
#include "support/temp_dir.hpp"

#include "open311/config.hpp"
#include "open311/http/server.hpp"
#include "open311/store/store.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace open311::test {

/// A real server in-process on an ephemeral loopback port, with a fresh SQLite file,
/// the demo catalogue and three keys (client, staff, admin).
class TestServer {
public:
    explicit TestServer(const std::function<void(Config&)>& tweak = {});
    ~TestServer();
    TestServer(const TestServer&) = delete;
    TestServer& operator=(const TestServer&) = delete;

    HttpClient client() const { return HttpClient(server_->port()); }
    /// Stops the server gracefully (every connection and worker done); safe to call twice.
    void stop() { server_->stop(); }
    std::uint16_t port() const { return server_->port(); }
    Store& store() { return *store_; }
    const Config& config() const { return config_; }
    /// The public base path, e.g. "/open311/v2".
    std::string base() const { return config_.base_path; }

    /// How many requests are stored, in any moderation state.
    std::int64_t stored_requests() { return store_->search_requests(RequestFilter{}).total; }

    /// Creates a key directly in the store and returns its secret.
    std::string create_key(const std::string& name,
                           Role role,
                           std::optional<Timestamp> expires = std::nullopt);

    /// POSTs a valid request (form fields override the defaults); returns its id.
    std::string submit(const std::vector<std::pair<std::string, std::string>>& extra = {},
                       bool can_be_published = true);
    /// Publishes a request through the staff API.
    void publish(const std::string& id);
    /// Submits and publishes; returns the id.
    std::string submit_published(
        const std::vector<std::pair<std::string, std::string>>& extra = {});

    std::string client_key;
    std::string staff_key;
    std::string admin_key;

private:
    TempDir dir_;
    /// The PostgreSQL schema of a second pass (OPEN311D_TEST_SERVER_BACKEND=postgres).
    std::unique_ptr<class PostgresSchema> postgres_;
    Config config_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Server> server_;
};

/// Every key of a JSON document, at any depth.
void collect_keys(const nlohmann::json& j, std::vector<std::string>& out);
/// Every element name of an XML document.
void collect_names(const pugi::xml_node& node, std::vector<std::string>& out);

}  // namespace open311::test
