// Many POST requests at once on few workers: a new request waits for its group commit without
// holding a worker (Api::handle with a Reply), so every answer must still come, in its format,
// after its row is stored, and the metrics must count each. Runs on SQLite, and on PostgreSQL in
// the second pass (whose store answers the insert synchronously): the suite is RequestsPost.
#include "support/prometheus_text.hpp"
#include "support/server_fixture.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

namespace open311::test {
namespace {

constexpr int kConcurrentClients = 24;
constexpr int kPostsPerClient = 4;

struct ClientOutcome {
    std::vector<std::string> ids;  ///< from 200 answers
    int refused = 0;               ///< 400 answers in XML naming the field
    std::vector<std::string> unexpected;
};

/// One client: valid POSTs alternately in JSON and XML, and one invalid POST in XML.
ClientOutcome post_from_one_client(const TestServer& server, int client_no) {
    ClientOutcome out;
    const auto client = server.client();
    for (int i = 0; i < kPostsPerClient; ++i) {
        const bool xml = (client_no + i) % 2 == 1;
        const auto body =
            form({{"api_key", server.client_key},
                  {"service_code", "171"},
                  {"lat", "60.1699"},
                  {"long", "24.9384"},
                  {"description",
                   "Rinnakkainen " + std::to_string(client_no) + "-" + std::to_string(i)}});
        auto r = client.post_form(server.base() + (xml ? "/requests.xml" : "/requests.json"), body);
        if (r.status != 200) {
            out.unexpected.push_back(std::to_string(r.status) + " " + r.body);
        } else if (xml) {
            auto doc = r.xml();
            out.ids.push_back(doc->select_node("/service_requests/request/service_request_id")
                                  .node()
                                  .text()
                                  .as_string());
        } else {
            auto j = r.json();
            out.ids.push_back(j.at(0).at("service_request_id").get<std::string>());
        }
    }
    auto bad = client.post_form(
        server.base() + "/requests.xml",
        form({{"api_key", server.client_key}, {"service_code", "171"}, {"lat", "60.1699"}}));
    auto doc = bad.xml();
    const std::string description =
        doc->select_node("/errors/error/description").node().text().as_string();
    if (bad.status == 400 && description.find("long") != std::string::npos) {
        ++out.refused;
    } else {
        out.unexpected.push_back(std::to_string(bad.status) + " " + bad.body);
    }
    return out;
}

TEST(RequestsPost, EveryPostOfManyConcurrentClientsOnTwoWorkersIsAnsweredAndStored) {
    TestServer server([](Config& c) { c.worker_threads = 2; });
    const auto before = parse_prometheus_text(server.client().get("/metrics").body);
    std::vector<ClientOutcome> outcomes(kConcurrentClients);
    std::vector<std::thread> clients;
    for (int c = 0; c < kConcurrentClients; ++c) {
        clients.emplace_back(
            [&server, &outcomes, c] { outcomes[c] = post_from_one_client(server, c); });
    }
    for (auto& t : clients) {
        t.join();
    }
    std::set<std::string> ids;
    int refused = 0;
    for (const auto& o : outcomes) {
        for (const auto& u : o.unexpected) {
            ADD_FAILURE() << "unexpected answer: " << u;
        }
        ids.insert(o.ids.begin(), o.ids.end());
        refused += o.refused;
    }
    EXPECT_EQ(ids.size(), static_cast<std::size_t>(kConcurrentClients * kPostsPerClient));
    EXPECT_EQ(refused, kConcurrentClients);
    // Answered means stored: each id is found, with its own description.
    for (const auto& id : ids) {
        auto stored = server.store().find_request(id);
        ASSERT_TRUE(stored) << id;
        EXPECT_EQ(stored->description.rfind("Rinnakkainen ", 0), 0U) << stored->description;
    }
    EXPECT_EQ(server.stored_requests(), kConcurrentClients * kPostsPerClient);
    // The metrics saw every answer, the deferred ones too.
    const auto after = parse_prometheus_text(server.client().get("/metrics").body);
    auto delta = [&](const char* status) {
        const std::map<std::string, std::string> labels{
            {"route", "/requests"}, {"method", "POST"}, {"status", status}};
        return after.count("http_requests_total", labels) -
               before.count("http_requests_total", labels);
    };
    EXPECT_EQ(delta("200"), kConcurrentClients * kPostsPerClient);
    EXPECT_EQ(delta("400"), kConcurrentClients);
}

}  // namespace
}  // namespace open311::test
