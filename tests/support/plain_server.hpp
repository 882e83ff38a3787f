#pragma once

#include "support/http_client.hpp"

#include "open311/config.hpp"
#include "open311/http/server.hpp"
#include "open311/store/make_store.hpp"

#include <memory>
#include <string>

namespace open311::test {

/// A server in-process on a database that is already filled (unlike TestServer, it adds no
/// keys and no catalogue): a second server on a shared database, or one on a copy.
class PlainServer {
public:
    PlainServer(Config config, const std::string& database) : config_(std::move(config)) {
        config_.db_path = database;
        config_.listen_port = 0;
        store_ = make_store(config_);
        server_ = std::make_unique<Server>(config_, *store_);
        server_->start();
    }
    ~PlainServer() { server_->stop(); }
    PlainServer(const PlainServer&) = delete;
    PlainServer& operator=(const PlainServer&) = delete;

    HttpClient client() const { return HttpClient(server_->port()); }
    Store& store() { return *store_; }

private:
    Config config_;
    std::unique_ptr<Store> store_;
    std::unique_ptr<Server> server_;
};

}  // namespace open311::test
