// Reads made on an event loop's own connections (pg::LoopReader), as an I/O thread makes them:
// the same answers as the blocking read, a lost connection reported as unavailable, and a new
// one opened by itself afterwards.
#include "store/store_contract.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace open311::store_test {
namespace {

namespace net = boost::asio;

class PostgresLoopReads : public StoreContract<PostgresBackend> {
protected:
    /// Runs the loop until `done` holds, for at most 20 s (a bound for a hung test).
    template <typename Done>
    bool run_until(Done done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
        while (!done()) {
            if (std::chrono::steady_clock::now() > deadline) {
                return false;
            }
            loop_.restart();
            loop_.run_for(std::chrono::milliseconds(10));
        }
        return true;
    }
    /// Waits until the store can read on the loop (its connections opened without blocking).
    bool ready() {
        return run_until([&] {
            try {
                store().catalogue_snapshot();  // the answer names services: it must be loaded
            } catch (const StoreError&) {
                return false;  // a pooled connection found lost: the next try opens a new one
            }
            return store().reads_on_loop(loop_);
        });
    }
    struct Outcome {
        bool called = false;
        std::optional<ServiceRequest> request;
        std::exception_ptr error;
    };
    /// find_request_on for each id at once; the outcomes once every one has come back.
    std::vector<Outcome> find_all(const std::vector<std::string>& ids) {
        std::vector<Outcome> out(ids.size());
        for (std::size_t i = 0; i < ids.size(); ++i) {
            store().find_request_on(
                loop_, ids[i], [&out, i](std::optional<ServiceRequest> r, std::exception_ptr e) {
                    out[i] = Outcome{true, std::move(r), e};
                });
            EXPECT_FALSE(out[i].called) << "answered before find_request_on returned";
        }
        EXPECT_TRUE(run_until([&] {
            for (const auto& o : out) {
                if (!o.called) {
                    return false;
                }
            }
            return true;
        }));
        return out;
    }
    /// Ends every connection of this test's store, as a database restart would, and returns
    /// once their server processes are gone.
    void terminate_connections() {
        store::pg::Connection admin(test::postgres_server_url());
        const auto pids = admin.all(
            "WITH theirs AS MATERIALIZED (SELECT pid FROM pg_stat_activity "
            "WHERE application_name = $1 AND pid <> pg_backend_pid()) "
            "SELECT pid FROM theirs WHERE pg_terminate_backend(pid)",
            store::pg::read_int64,
            backend_.schema());
        ASSERT_FALSE(pids.empty());
        for (const auto pid : pids) {
            ASSERT_TRUE(run_until([&] {
                return admin
                           .first("SELECT count(*) FROM pg_stat_activity WHERE pid = $1",
                                  store::pg::read_int64,
                                  pid)
                           .value_or(0) == 0;
            }));
        }
    }

    net::io_context loop_;
};

TEST_F(PostgresLoopReads, AnswerAsTheBlockingReadDoes) {
    std::vector<std::string> ids;
    for (int i = 0; i < 30; ++i) {
        ids.push_back("loop-" + std::to_string(i));
        store().insert_request(request(ids.back()));
    }
    ids.push_back("no-such-request");
    ASSERT_TRUE(ready());
    const auto outcomes = find_all(ids);  // more at once than the loop has connections
    for (std::size_t i = 0; i + 1 < ids.size(); ++i) {
        ASSERT_FALSE(outcomes[i].error) << ids[i];
        ASSERT_TRUE(outcomes[i].request) << ids[i];
        const auto blocking = store().find_request(ids[i]);
        EXPECT_EQ(outcomes[i].request->id, blocking->id);
        EXPECT_EQ(outcomes[i].request->description, blocking->description);
        EXPECT_EQ(outcomes[i].request->submitter.email, blocking->submitter.email);
        EXPECT_EQ(outcomes[i].request->version, blocking->version);
    }
    EXPECT_FALSE(outcomes.back().error);
    EXPECT_FALSE(outcomes.back().request);
}

TEST_F(PostgresLoopReads, ALostConnectionIsUnavailableThenReplaced) {
    store().insert_request(request("kept"));
    ASSERT_TRUE(ready());
    ASSERT_TRUE(find_all({"kept"})[0].request);

    terminate_connections();
    const auto lost = find_all({"kept", "kept", "kept"});
    bool unavailable = false;
    for (const auto& o : lost) {
        if (o.error) {
            try {
                std::rethrow_exception(o.error);
            } catch (const StoreError& e) {
                EXPECT_EQ(e.code(), StoreErrc::unavailable) << e.what();
                unavailable = true;
            }
        } else {
            EXPECT_TRUE(o.request);  // a query sent after a new connection was up
        }
    }
    EXPECT_TRUE(unavailable) << "no query noticed the lost connections";

    // New connections are opened by themselves, without blocking the loop.
    ASSERT_TRUE(ready());
    const auto again = find_all({"kept"});
    ASSERT_FALSE(again[0].error);
    ASSERT_TRUE(again[0].request);
    EXPECT_EQ(again[0].request->id, "kept");
}

}  // namespace
}  // namespace open311::store_test
