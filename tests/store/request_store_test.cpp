// RequestStore contract: insert and find, every search filter, order, paging with the total,
// public_only, tokens.
#include "open311/store/request_store.hpp"

#include "store/store_contract.hpp"

#include <exception>
#include <future>
#include <optional>
#include <string>
#include <vector>

namespace open311::store_test {
namespace {

template <typename Backend>
class RequestContract : public StoreContract<Backend> {
protected:
    /// Inserts r1..r5 at kT0 + 0, 10, 20, 30, 40; r2 and r4 published, r5 rejected; r3 closed
    /// with detailed status "ENDED,FIXED"; r4 far away (Tampere); r5 has no map point.
    void seed() {
        std::vector<ServiceRequest> all;
        for (int i = 1; i <= 5; ++i) {
            all.push_back(this->request("r" + std::to_string(i), (i - 1) * 10));
        }
        all[1].state = ModerationState::published;
        all[3].state = ModerationState::published;
        all[4].state = ModerationState::rejected;
        all[2].status = "closed";
        all[2].detailed_status = "ENDED,FIXED";
        all[2].service_object_type = "bench";
        all[2].service_object_id = "b-7";
        all[3].lat = 61.50;
        all[3].lon = 23.76;
        all[4].lat.reset();
        all[4].lon.reset();
        all[0].updated_at = this->kT0 + 100;
        this->store().insert_requests(all);
    }

    std::vector<std::string> ids(const RequestFilter& f) {
        std::vector<std::string> out;
        for (const auto& r : this->store().search_requests(f).items) {
            out.push_back(r.id);
        }
        return out;
    }
};
TYPED_TEST_SUITE(RequestContract, StoreBackends, BackendNames);

using Ids = std::vector<std::string>;

TYPED_TEST(RequestContract, InsertThenFindReturnsTheWholeRecord) {
    auto r = this->request("x1");
    r.token = "tok-1";
    r.media = {MediaFile{"m1.jpg", "image/jpeg", 100}, MediaFile{"m2.png", "image/png", 50}};
    r.media_urls = {"https://example.org/a.jpg"};
    r.expected_at = this->kT0 + 86400;
    this->store().insert_request(r);
    auto found = this->store().find_request("x1");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->description, r.description);
    EXPECT_EQ(found->state, ModerationState::pending);
    EXPECT_EQ(found->version, 1);
    EXPECT_EQ(found->submitter.email, "x1@example.org");
    ASSERT_EQ(found->attributes.size(), 1U);
    EXPECT_EQ(found->attributes[0].values, (Ids{"red"}));
    ASSERT_EQ(found->media.size(), 2U);
    EXPECT_EQ(found->media[1].name, "m2.png");
    EXPECT_EQ(found->media_urls, r.media_urls);
    EXPECT_EQ(found->expected_at, r.expected_at);
    ASSERT_TRUE(found->lat);
    EXPECT_DOUBLE_EQ(*found->lat, 60.17);
    EXPECT_FALSE(this->store().find_request("x2"));
    EXPECT_EQ(this->store().find_request_id_by_token("tok-1"), "x1");
    EXPECT_FALSE(this->store().find_request_id_by_token("tok-2"));
}

TYPED_TEST(RequestContract, ADuplicateIdIsAConstraintViolation) {
    this->store().insert_request(this->request("dup"));
    try {
        this->store().insert_request(this->request("dup"));
        FAIL() << "a second request with the same id was stored";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::constraint) << e.what();
        EXPECT_FALSE(e.retryable());
    }
    EXPECT_EQ(this->store().search_requests({}).total, 1);
}

/// insert_request_then's outcome, once its completion has run (from whichever thread).
std::exception_ptr insert_and_wait(Store& store,
                                   ServiceRequest request,
                                   std::optional<IdempotencyRecord> answered = std::nullopt) {
    std::promise<std::exception_ptr> outcome;
    auto future = outcome.get_future();
    store.insert_request_then(
        std::move(request), std::move(answered), [&outcome](std::exception_ptr error) {
            outcome.set_value(std::move(error));
        });
    return future.get();
}

TYPED_TEST(RequestContract, InsertThenCompletesOnceTheRequestIsStored) {
    EXPECT_FALSE(insert_and_wait(this->store(), this->request("later")));
    auto found = this->store().find_request("later");
    ASSERT_TRUE(found);
    EXPECT_EQ(found->submitter.email, "later@example.org");
    // A duplicate id: the completion gets the constraint error, nothing more is stored.
    auto error = insert_and_wait(this->store(), this->request("later"));
    ASSERT_TRUE(error);
    try {
        std::rethrow_exception(error);
    } catch (const StoreError& e) {
        EXPECT_EQ(e.code(), StoreErrc::constraint) << e.what();
    }
    EXPECT_EQ(this->store().search_requests({}).total, 1);
}

TYPED_TEST(RequestContract, ConcurrentInsertsThenEachGetTheirOwnOutcome) {
    // Submitted together they may share one transaction: a duplicate among them fails alone,
    // and every other request is stored.
    this->store().insert_request(this->request("taken"));
    constexpr int kCount = 40;
    std::vector<std::promise<std::exception_ptr>> outcomes(kCount);
    for (int i = 0; i < kCount; ++i) {
        const std::string id = i == kCount / 2 ? "taken" : "batch-" + std::to_string(i);
        this->store().insert_request_then(
            this->request(id), std::nullopt, [&outcomes, i](std::exception_ptr error) {
                outcomes[static_cast<std::size_t>(i)].set_value(std::move(error));
            });
    }
    for (int i = 0; i < kCount; ++i) {
        const auto error = outcomes[static_cast<std::size_t>(i)].get_future().get();
        if (i == kCount / 2) {
            ASSERT_TRUE(error) << "the duplicate id was accepted";
            try {
                std::rethrow_exception(error);
            } catch (const StoreError& e) {
                EXPECT_EQ(e.code(), StoreErrc::constraint) << e.what();
            }
        } else {
            EXPECT_FALSE(error) << "request " << i << " failed";
            EXPECT_TRUE(this->store().find_request("batch-" + std::to_string(i))) << i;
        }
    }
    EXPECT_EQ(this->store().search_requests({}).total, kCount);
}

TYPED_TEST(RequestContract, InsertThenStoresTheIdempotencyAnswerWithTheRequest) {
    IdempotencyRecord claim{"client", "retry-1", "fp", "keyed", this->kT0, 0, {}, {}};
    ASSERT_TRUE(this->store().claim_idempotency_key(claim, this->kT0 - 3600).claimed);
    auto answered = claim;
    answered.status = 200;
    answered.content_type = "application/json; charset=utf-8";
    answered.body = R"([{"service_request_id":"keyed"}])";
    EXPECT_FALSE(insert_and_wait(this->store(), this->request("keyed"), answered));
    EXPECT_TRUE(this->store().find_request("keyed"));
    // A second claim of the key finds the first request's answer.
    auto again = this->store().claim_idempotency_key(claim, this->kT0 - 3600);
    EXPECT_FALSE(again.claimed);
    EXPECT_EQ(again.record.status, 200);
    EXPECT_EQ(again.record.body, answered.body);
}

TYPED_TEST(RequestContract, FiltersByIdsStatesCodesAndStatuses) {
    this->seed();
    RequestFilter f;
    f.ids = {"r1", "r4", "nope"};
    EXPECT_EQ(this->ids(f), (Ids{"r4", "r1"}));
    f.states = {ModerationState::published};  // ids keep the state condition
    EXPECT_EQ(this->ids(f), (Ids{"r4"}));
    f = {};
    f.states = {ModerationState::published, ModerationState::rejected};
    EXPECT_EQ(this->ids(f), (Ids{"r5", "r4", "r2"}));
    f = {};
    f.service_codes = {"B2"};
    EXPECT_TRUE(this->ids(f).empty());
    f.service_codes = {"A1", "B2"};
    EXPECT_EQ(this->ids(f).size(), 5U);
    f = {};
    f.statuses = {"closed"};
    EXPECT_EQ(this->ids(f), (Ids{"r3"}));
    f = {};
    f.detailed_statuses = {"FIXED"};
    EXPECT_EQ(this->ids(f), (Ids{"r3"}));
    f.detailed_statuses = {"FIX"};  // whole values only
    EXPECT_TRUE(this->ids(f).empty());
    f = {};
    f.service_object_type = "bench";
    f.service_object_id = "b-7";
    EXPECT_EQ(this->ids(f), (Ids{"r3"}));
}

TYPED_TEST(RequestContract, FiltersByTimeWindowsInclusive) {
    this->seed();
    RequestFilter f;
    f.requested_from = this->kT0 + 10;
    f.requested_to = this->kT0 + 30;
    EXPECT_EQ(this->ids(f), (Ids{"r4", "r3", "r2"}));
    f = {};
    f.updated_from = this->kT0 + 100;
    EXPECT_EQ(this->ids(f), (Ids{"r1"}));
    f = {};
    f.updated_to = this->kT0 + 10;
    EXPECT_EQ(this->ids(f), (Ids{"r2"}));  // r1 was updated later
}

TYPED_TEST(RequestContract, FiltersByRadiusAndBox) {
    this->seed();
    RequestFilter f;
    f.near = GeoCircle{60.17, 24.94, 1000};
    EXPECT_EQ(this->ids(f), (Ids{"r3", "r2", "r1"}));
    f.near = GeoCircle{60.2, 24.94, 1000};  // 3.3 km north: outside
    EXPECT_TRUE(this->ids(f).empty());
    f = {};
    f.box = GeoBox{23.0, 61.0, 24.0, 62.0};
    EXPECT_EQ(this->ids(f), (Ids{"r4"}));
    f.requested_to = this->kT0;  // the box and a time window together
    EXPECT_TRUE(this->ids(f).empty());
}

TYPED_TEST(RequestContract, OrdersAndPagesWithTheTotal) {
    this->seed();
    RequestFilter f;
    f.order = RequestOrder::requested_asc;
    EXPECT_EQ(this->ids(f), (Ids{"r1", "r2", "r3", "r4", "r5"}));
    f.order = RequestOrder::updated_desc;
    EXPECT_EQ(this->ids(f).front(), "r1");
    f.order = RequestOrder::updated_asc;
    EXPECT_EQ(this->ids(f).back(), "r1");
    f.order = RequestOrder::requested_desc;
    f.limit = 2;
    f.offset = 2;
    auto page = this->store().search_requests(f);
    ASSERT_EQ(page.items.size(), 2U);
    EXPECT_EQ(page.items[0].id, "r3");
    EXPECT_EQ(page.total, 5);
    f.offset = 4;
    page = this->store().search_requests(f);
    EXPECT_EQ(page.items.size(), 1U);
    EXPECT_EQ(page.total, 5);
    f.offset = 10;
    page = this->store().search_requests(f);
    EXPECT_TRUE(page.items.empty());
    EXPECT_EQ(page.total, 5);
}

TYPED_TEST(RequestContract, PublicOnlyLeavesPersonalDataAndAnswersOut) {
    this->seed();
    RequestFilter f;
    f.ids = {"r1"};
    f.public_only = true;
    auto page = this->store().search_requests(f);
    ASSERT_EQ(page.items.size(), 1U);
    EXPECT_TRUE(page.items[0].submitter.email.empty());
    EXPECT_TRUE(page.items[0].submitter.first_name.empty());
    EXPECT_TRUE(page.items[0].attributes.empty());
    EXPECT_EQ(page.items[0].description, "Hole in the road r1");
    f.public_only = false;
    EXPECT_EQ(this->store().search_requests(f).items[0].submitter.email, "r1@example.org");
}

}  // namespace
}  // namespace open311::store_test
