#pragma once

#include "api/core/http_types.hpp"

#include "open311/store/store.hpp"

#include <optional>

namespace open311::api {

/// Gives a claimed Idempotency-Key back unless the request it guards was answered, so that a
/// refused request can be corrected and sent again with the same key.
class ClaimGuard final {
public:
    explicit ClaimGuard(Store& store) : store_(store) {}
    ~ClaimGuard();
    ClaimGuard(const ClaimGuard&) = delete;
    ClaimGuard& operator=(const ClaimGuard&) = delete;

    void hold(IdempotencyRecord record) { record_ = std::move(record); }
    /// Stores the answer for retries.
    void complete(const HttpResponse& response);
    /// The held record with `response` as its answer, to store with the write that makes the
    /// answer true (Store::insert_request_then), saving a write; nullopt when none is held.
    std::optional<IdempotencyRecord> answered(const HttpResponse& response) const;
    /// That write has committed: the answer is stored, the claim is no longer to give back.
    void stored() { completed_ = true; }

private:
    Store& store_;
    std::optional<IdempotencyRecord> record_;
    bool completed_ = false;
};

/// The stored answer of the first request with an Idempotency-Key, marked as a replay.
HttpResponse replay(const IdempotencyRecord& record);

}  // namespace open311::api
