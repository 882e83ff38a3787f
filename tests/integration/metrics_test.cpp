// GET /metrics: the Prometheus text exposition parsed back, counters that move with known
// requests (labelled by route pattern, never by the raw path), the gauges read from the store,
// the bearer token, the listener of its own, and promtool's verdict on a live scrape.
#include "store/backends.hpp"
#include "support/child_process.hpp"
#include "support/prometheus_text.hpp"
#include "support/server_fixture.hpp"
#include "support/temp_dir.hpp"

#include "open311/store/make_store.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

namespace open311::test {
namespace {

PromText scrape(const HttpClient& client, const std::map<std::string, std::string>& headers = {}) {
    auto r = client.get("/metrics", headers);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
    try {
        return parse_prometheus_text(r.body);
    } catch (const std::exception& e) {
        ADD_FAILURE() << e.what();
        return {};
    }
}

const std::string kByIdRoute = "/requests/{service_request_id}";

TEST(Metrics, EveryFamilyIsDeclaredAndEverySampleBelongsToOne) {
    TestServer server;
    server.client().get(server.base() + "/services.json");
    const auto text = scrape(server.client());
    ASSERT_FALSE(text.samples.empty());
    for (const auto& s : text.samples) {
        std::string family = s.name;
        for (const char* suffix : {"_bucket", "_sum", "_count"}) {
            const std::string x(suffix);
            if (text.types.count(family) == 0 && family.size() > x.size() &&
                family.compare(family.size() - x.size(), x.size(), x) == 0) {
                family.resize(family.size() - x.size());
            }
        }
        ASSERT_EQ(text.types.count(family), 1U) << s.name << " has no TYPE";
        EXPECT_EQ(text.helps.count(family), 1U) << s.name << " has no HELP";
    }
    for (const char* name : {"http_requests_total",
                             "http_request_duration_seconds",
                             "http_requests_in_flight",
                             "http_connections_open",
                             "http_connections_rejected_total",
                             "open311_posts_rate_limited_total",
                             "open311_requests_created_total",
                             "open311_requests_published_total",
                             "open311_requests_rejected_total",
                             "open311_requests_closed_total",
                             "open311_requests_pending",
                             "open311_requests_pending_oldest_age_seconds",
                             "open311_outbox_queued",
                             "open311_outbox_sent_total",
                             "open311_outbox_failed_total",
                             "open311_outbox_oldest_queued_age_seconds",
                             "open311_write_batch_size",
                             "open311_write_commit_duration_seconds",
                             "open311_store_errors_total",
                             "open311_media_stored_bytes_total",
                             "process_start_time_seconds",
                             "open311_build_info"}) {
        EXPECT_EQ(text.types.count(name), 1U) << name;
    }
    EXPECT_EQ(text.types.at("http_request_duration_seconds"), "histogram");
    EXPECT_EQ(text.types.at("http_requests_total"), "counter");
    // The scrape itself is in flight and holds a connection while it is written.
    EXPECT_GE(text.count("http_requests_in_flight"), 1.0);
    EXPECT_GE(text.count("http_connections_open"), 1.0);
    EXPECT_GT(text.count("process_start_time_seconds"), 1.7e9);
    bool build = false;
    for (const auto& s : text.samples) {
        if (s.name == "open311_build_info") {
            build = true;
            EXPECT_EQ(s.value, 1.0);
            EXPECT_FALSE(s.labels.at("version").empty());
            EXPECT_FALSE(s.labels.at("revision").empty());
        }
    }
    EXPECT_TRUE(build);
}

TEST(Metrics, RequestsAreCountedByRoutePatternMethodAndStatus) {
    TestServer server;
    const auto id = server.submit_published();
    const auto client = server.client();
    const auto before = scrape(client);

    for (int i = 0; i < 3; ++i) {
        ASSERT_EQ(client.get(server.base() + "/requests/" + id + ".json").status, 200);
    }
    ASSERT_EQ(client.get(server.base() + "/requests/no-such-id.json").status, 404);
    ASSERT_EQ(client.request("HEAD", server.base() + "/requests/" + id + ".xml").status, 200);
    ASSERT_EQ(client.get("/some/raw/path/" + id).status, 404);
    const auto after = scrape(client);

    auto delta = [&](const std::map<std::string, std::string>& labels) {
        return after.count("http_requests_total", labels) -
               before.count("http_requests_total", labels);
    };
    EXPECT_EQ(delta({{"route", kByIdRoute}, {"method", "GET"}, {"status", "200"}}), 3.0);
    EXPECT_EQ(delta({{"route", kByIdRoute}, {"method", "GET"}, {"status", "404"}}), 1.0);
    EXPECT_EQ(delta({{"route", kByIdRoute}, {"method", "HEAD"}, {"status", "200"}}), 1.0);
    EXPECT_EQ(delta({{"route", "(unmatched)"}, {"method", "GET"}, {"status", "404"}}), 1.0);
    // The histogram counts every answer of the route.
    EXPECT_EQ(after.count("http_request_duration_seconds_count", {{"route", kByIdRoute}}) -
                  before.count("http_request_duration_seconds_count", {{"route", kByIdRoute}}),
              5.0);
    EXPECT_EQ(after.count("http_request_duration_seconds_bucket",
                          {{"route", kByIdRoute}, {"le", "+Inf"}}),
              after.count("http_request_duration_seconds_count", {{"route", kByIdRoute}}));
    // No label anywhere holds the raw id or path.
    for (const auto& s : after.samples) {
        for (const auto& [name, value] : s.labels) {
            EXPECT_EQ(value.find(id), std::string::npos) << s.name << " " << name;
            EXPECT_EQ(value.find("no-such-id"), std::string::npos) << s.name << " " << name;
            EXPECT_EQ(value.find("/some/raw"), std::string::npos) << s.name << " " << name;
        }
    }
}

TEST(Metrics, CaseCountersAndTheModerationQueueMove) {
    TestServer server;
    const auto client = server.client();
    const auto before = scrape(client);
    const auto pending = server.submit();
    const auto published = server.submit();
    server.publish(published);
    const auto after = scrape(client);

    EXPECT_EQ(after.count("open311_requests_created_total", {{"state", "pending"}}) -
                  before.count("open311_requests_created_total", {{"state", "pending"}}),
              2.0);
    EXPECT_EQ(after.count("open311_requests_published_total") -
                  before.count("open311_requests_published_total"),
              1.0);
    EXPECT_EQ(after.value("open311_requests_pending"), 1.0);
    EXPECT_GE(after.count("open311_requests_pending_oldest_age_seconds"), 0.0);
    EXPECT_EQ(after.value("open311_outbox_queued"), 0.0);
    if (!store::is_postgres_url(server.config().db_path)) {
        // Two submissions and a publication: written by SQLite's group commits.
        EXPECT_GE(after.count("open311_write_batch_size_count") -
                      before.count("open311_write_batch_size_count"),
                  1.0);
    }
    EXPECT_GE(after.count("http_requests_total",
                          {{"route", "/requests"}, {"method", "POST"}, {"status", "200"}}),
              2.0);
    (void)pending;
}

TEST(Metrics, TheTokenIsRequiredWhenSet) {
    TestServer server([](Config& c) { c.metrics.token = "scrape-secret-1234"; });
    const auto client = server.client();
    auto none = client.get("/metrics");
    EXPECT_EQ(none.status, 401);
    EXPECT_EQ(none.header("WWW-Authenticate"), "Bearer realm=\"metrics\"");
    EXPECT_EQ(none.json().at(0).at("code"), 401) << none.body;
    EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer wrong-secret-12345"}}).status, 401);
    EXPECT_EQ(client.get("/metrics", {{"Authorization", "Bearer scrape-secret-123"}}).status, 401);
    const auto text = scrape(client, {{"Authorization", "Bearer scrape-secret-1234"}});
    // The refused scrapes were counted like any answer.
    EXPECT_EQ(text.count("http_requests_total",
                         {{"route", "/metrics"}, {"method", "GET"}, {"status", "401"}}),
              3.0);
}

TEST(Metrics, OffMeansNotFound) {
    TestServer server([](Config& c) { c.metrics.enabled = false; });
    EXPECT_EQ(server.client().get("/metrics").status, 404);
}

TEST(Metrics, AListenerOfItsOwnServesMonitoringOnly) {
    TempDir dir;
    Config config;
    config.listen_host = "127.0.0.1";
    config.listen_port = 0;
    config.db_path = dir.path() + "/open311d.db";
    config.demo = true;
    config.metrics.listen_host = "127.0.0.1";
    config.metrics.listen_port = 0;
    auto store = make_store(config);
    Server server(config, *store);
    server.start();
    ASSERT_NE(server.metrics_port(), 0);
    ASSERT_NE(server.metrics_port(), server.port());
    HttpClient main(server.port());
    HttpClient monitoring(server.metrics_port());
    EXPECT_EQ(main.get("/metrics").status, 404);
    EXPECT_EQ(main.get("/healthz").status, 200);
    EXPECT_EQ(monitoring.get("/metrics").status, 200);
    EXPECT_EQ(monitoring.get("/readyz").status, 200);
    EXPECT_EQ(monitoring.get("/open311/v2/services.json").status, 404);
    EXPECT_EQ(monitoring.get("/admin/v1/requests").status, 404);
    server.stop();
}

TEST(Metrics, PromtoolAcceptsALiveScrape) {
    TestServer server;
    const auto id = server.submit_published();
    server.client().get(server.base() + "/requests/" + id + ".json");
    server.client().get(server.base() + "/services.xml");
    auto r = server.client().get("/metrics");
    ASSERT_EQ(r.status, 200);
    TempDir dir;
    const auto file = dir.path() + "/scrape.prom";
    std::ofstream(file) << r.body;
    // promtool reads the exposition on stdin; a shell gives it the file.
    ChildProcess promtool({"/bin/sh", "-c", "exec /usr/bin/promtool check metrics < \"$0\"", file},
                          {},
                          dir.path(),
                          "promtool");
    const int code = promtool.wait();
    std::ifstream out(dir.path() + "/promtool.stdout");
    const std::string text((std::istreambuf_iterator<char>(out)), {});
    EXPECT_EQ(code, 0) << promtool.err() << text;
    // Lint remarks (not errors) are printed too: there must be none.
    EXPECT_EQ(promtool.err() + text, "") << "promtool remarks";
}

}  // namespace
}  // namespace open311::test
