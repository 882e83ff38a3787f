#pragma once

#include "open311/domain/abuse.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace open311 {

/// Abuse control and retries: per-key rate limits, usage counters, idempotency records.
class AbuseStore {
public:
    virtual ~AbuseStore() = default;

    /// A key's own rate limit; nullopt when no key has that name.
    virtual std::optional<KeyLimits> find_key_limits(const std::string& name) = 0;
    /// Sets a key's own rate limit (unset fields fall back to the defaults); false when no key
    /// has that name.
    virtual bool set_key_limits(const std::string& name, const KeyLimits& limits) = 0;
    /// Adds counts to the per-day usage of keys, in one transaction.
    virtual void add_key_usage(const std::vector<std::pair<std::string, KeyUsage>>& deltas) = 0;
    /// A key's usage per day, newest first, at most `days` days.
    virtual std::vector<KeyUsage> key_usage(const std::string& name, int days) = 0;
    /// Inserts `fresh` unless a record for its (API key, key) pair exists and was created at or
    /// after `expired_before`; atomic, so of concurrent claims exactly one succeeds.
    virtual IdempotencyClaim claim_idempotency_key(const IdempotencyRecord& fresh,
                                                   Timestamp expired_before) = 0;
    /// Restarts a claim whose first handler died: a new created_at, still unanswered.
    virtual void renew_idempotency_key(const IdempotencyRecord& record) = 0;
    /// Stores the answer of the request that holds the claim.
    virtual void complete_idempotency_key(const IdempotencyRecord& record) = 0;
    /// Drops a claim whose request was refused, so the client may correct it and retry
    /// (an answered record stays).
    virtual void release_idempotency_key(const std::string& api_key_name,
                                         const std::string& key) = 0;
    /// Deletes records created before `expired_before`; returns how many.
    virtual std::int64_t purge_idempotency_keys(Timestamp expired_before) = 0;
};

}  // namespace open311
