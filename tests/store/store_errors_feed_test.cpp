// Error codes and the change feed: what a caller can tell apart, and how it learns of writes.
#include "store/store_contract.hpp"

#include "open311/store/change_feed.hpp"
#include "open311/store/store_error.hpp"

#include <fstream>

namespace open311::store_test {
namespace {

TEST(StoreErrc, EveryCodeHasItsCategoryAndMessage) {
    for (auto e : {StoreErrc::conflict,
                   StoreErrc::constraint,
                   StoreErrc::unavailable,
                   StoreErrc::corrupt,
                   StoreErrc::incompatible,
                   StoreErrc::invalid_token,
                   StoreErrc::internal}) {
        const std::error_code code = e;
        EXPECT_EQ(code.category().name(), std::string("open311.store"));
        EXPECT_FALSE(code.message().empty());
        EXPECT_NE(code.message(), "unknown store error");
        EXPECT_EQ(StoreError(e, "x").retryable(), e == StoreErrc::conflict);
    }
}

template <typename Backend>
class ErrorsAndFeedContract : public StoreContract<Backend> {};
TYPED_TEST_SUITE(ErrorsAndFeedContract, StoreBackends, BackendNames);

TYPED_TEST(ErrorsAndFeedContract, AnUnusablePlaceIsUnavailable) {
    try {
        make_store(this->backend_.unusable());
        FAIL() << "opened a database that cannot be there";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::unavailable) << e.what();
        EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos)
            << "the message shows the password: " << e.what();
    }
}

TYPED_TEST(ErrorsAndFeedContract, ANewerSchemaIsRefused) {
    this->store_.reset();
    this->backend_.record_future_schema();
    try {
        make_store(this->backend_.config());
        FAIL() << "opened a database a newer program wrote";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::incompatible) << e.what();
    }
}

// A file backend's own case: a file that is something else.
TEST(SqliteStoreErrors, SomethingElseIsNotADatabase) {
    ScratchDir dir;
    Config config;
    config.db_path = dir.path() + "/text.db";
    std::ofstream(config.db_path) << std::string(4096, 'x');
    try {
        make_store(config);
        FAIL() << "opened a text file as a database";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::corrupt) << e.what();
    }
}

TYPED_TEST(ErrorsAndFeedContract, ChangeVersionMovesWithEveryWrite) {
    auto& store = this->store();
    auto version = store.change_version();
    ASSERT_TRUE(version);  // SQLite can tell; a backend that cannot answers nullopt
    auto moved = [&] {
        auto now = store.change_version();
        const bool changed = now != version;
        version = now;
        return changed;
    };
    store.find_request("nothing");
    store.search_requests({});
    EXPECT_FALSE(moved()) << "a read moved it";
    store.insert_request(this->request("f1"));
    EXPECT_TRUE(moved());
    EXPECT_EQ(this->change("f1", [](ServiceRequest& r) { r.title = "t"; }), ChangeOutcome::applied);
    EXPECT_TRUE(moved());
    store.append_audit(this->audit("x"));
    EXPECT_TRUE(moved());
    Service s;
    s.code = "Q";
    store.upsert_services({s});
    EXPECT_TRUE(moved());
}

TYPED_TEST(ErrorsAndFeedContract, OutboxSubscribersHearOfNewMessagesUntilTheyLeave) {
    auto& store = this->store();
    store.insert_request(this->request("f2"));
    int calls = 0;
    auto subscription = store.subscribe(Topic::outbox, [&calls] { ++calls; });
    RequestChange no_mail;
    no_mail.request_id = "f2";
    no_mail.audit = {this->audit("request.note", "f2")};
    ASSERT_EQ(store.commit_request_change(no_mail), ChangeOutcome::applied);
    EXPECT_EQ(calls, 0);
    RequestChange mail = no_mail;
    mail.notifications = {this->message("ann@example.org")};
    ASSERT_EQ(store.commit_request_change(mail), ChangeOutcome::applied);
    EXPECT_EQ(calls, 1);
    subscription.reset();
    ASSERT_EQ(store.commit_request_change(mail), ChangeOutcome::applied);
    EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace open311::store_test
