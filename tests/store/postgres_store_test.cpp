// What only a database shared over the network has: another server's commits heard through
// LISTEN/NOTIFY, connections lost and replaced, and map answers equal to SQLite's.
#include "store/store_contract.hpp"

#include <chrono>
#include <random>
#include <thread>

namespace open311::store_test {
namespace {

/// Polls `done` until it holds, for at most 20 s (a bound for a hung test, not a speed claim).
template <typename Done>
bool eventually(Done done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!done()) {
        if (std::chrono::steady_clock::now() > deadline) {
            return false;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return true;
}

class PostgresServers : public StoreContract<PostgresBackend> {
protected:
    /// Ends every connection of this test's stores, as a database restart would.
    void terminate_connections() {
        store::pg::Connection admin(test::postgres_server_url());
        admin.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE application_name = $1 AND pid <> pg_backend_pid()",
            store::pg::params_of(backend_.schema()));
    }
};

TEST_F(PostgresServers, AnotherServersCommitsMoveTheChangeVersion) {
    auto other = backend_.open();
    const auto before = other->change_version();
    ASSERT_TRUE(before);
    store().insert_request(request("n1"));
    EXPECT_TRUE(eventually([&] {
        auto now = other->change_version();
        return now && *now != *before;
    }));
}

TEST_F(PostgresServers, AnotherServersMailWakesTheSenders) {
    auto other = backend_.open();
    std::atomic<int> calls{0};
    auto subscription = other->subscribe(Topic::outbox, [&calls] { ++calls; });
    store().insert_request(request("n2"));
    RequestChange mail;
    mail.request_id = "n2";
    mail.notifications = {message("ann@example.org")};
    ASSERT_EQ(store().commit_request_change(mail), ChangeOutcome::applied);
    EXPECT_TRUE(eventually([&] { return calls.load() >= 1; }));
}

TEST_F(PostgresServers, AnotherServersCatalogueChangeIsSeen) {
    auto other = backend_.open();
    ASSERT_FALSE(other->find_service("C3"));  // caches the catalogue
    Service c;
    c.code = "C3";
    c.translations["en"] = ServiceTranslation{"Graffiti", "", "", ""};
    store().upsert_services({c});
    EXPECT_TRUE(eventually([&] { return other->find_service("C3").has_value(); }));
}

TEST_F(PostgresServers, LostConnectionsAreReplaced) {
    store().insert_request(request("n4"));
    const auto before = store().change_version();
    terminate_connections();
    // An idle connection found dead is replaced: reads and writes go on.
    EXPECT_TRUE(store().find_request("n4"));
    store().insert_request(request("n5"));
    EXPECT_TRUE(store().find_request("n5"));
    // The listener reconnects; what it may have missed meanwhile moves the version.
    EXPECT_TRUE(eventually([&] {
        auto now = store().change_version();
        return now && before && *now > *before + 1;
    }));
}

TEST(PostgresUnreachable, AStoreThatCannotConnectIsUnavailable) {
    Config c;
    c.db_path = "postgresql://open311:s3cret@127.0.0.1:1/open311?connect_timeout=5";
    try {
        make_store(c);
        FAIL() << "connected to a closed port";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::unavailable);
        const std::string what = e.what();
        EXPECT_EQ(what.find("s3cret"), std::string::npos) << what;
        EXPECT_NE(what.find("postgresql://open311:***@127.0.0.1:1/open311"), std::string::npos)
            << what;
    }
}

/// The map queries of both backends over the same random points: the same ids, in order.
TEST(PostgresMap, RadiusAndBoxAnswersEqualSqlites) {
    SqliteBackend sqlite_backend;
    PostgresBackend postgres_backend;
    auto sqlite = sqlite_backend.open();
    auto postgres = postgres_backend.open();
    Service a;
    a.code = "A1";
    std::mt19937 random(311);
    std::uniform_real_distribution<double> lat(60.10, 60.30);
    std::uniform_real_distribution<double> lon(24.80, 25.10);
    std::vector<ServiceRequest> requests;
    for (int i = 0; i < 2000; ++i) {
        ServiceRequest r;
        r.id = "g" + std::to_string(i);
        r.service_code = "A1";
        r.requested_at = 1'800'000'000 + i * 600;
        r.updated_at = r.requested_at;
        r.lat = lat(random);
        r.lon = lon(random);
        requests.push_back(r);
    }
    for (auto* store : {sqlite.get(), postgres.get()}) {
        store->upsert_services({a});
        store->insert_requests(requests);
    }
    auto ids = [](Store& store, const RequestFilter& f) {
        std::vector<std::string> out;
        for (const auto& r : store.search_requests(f).items) {
            out.push_back(r.id);
        }
        return out;
    };
    std::size_t matched = 0;
    for (int q = 0; q < 40; ++q) {
        RequestFilter f;
        f.limit = 5000;
        f.public_only = true;
        if (q % 2 == 0) {
            f.near = GeoCircle{lat(random), lon(random), 300.0 + 150.0 * q};
        } else {
            const double la = lat(random);
            const double lo = lon(random);
            f.box = GeoBox{lo, la, lo + 0.002 * q, la + 0.001 * q};
        }
        if (q % 4 == 1) {
            f.requested_from = 1'800'000'000 + 100'000;
            f.requested_to = 1'800'000'000 + 600'000;
        }
        const auto expected = ids(*sqlite, f);
        EXPECT_EQ(ids(*postgres, f), expected) << "query " << q;
        matched += expected.size();
    }
    EXPECT_GT(matched, 200U);  // the queries found something to compare
}

}  // namespace
}  // namespace open311::store_test
