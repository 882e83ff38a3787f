// PostgresStore: per-key rate limits, usage counters and idempotency records, shared by every
// server on the database.
#include "store/postgres/postgres_abuse.hpp"

#include "store/postgres/postgres_store.hpp"

namespace open311::store::pg {
namespace {

constexpr std::string_view kFindLimitsSql = R"sql(
    SELECT posts_per_minute, post_burst
    FROM api_keys
    WHERE name = $1)sql";
constexpr std::string_view kSetLimitsSql = R"sql(
    UPDATE api_keys
    SET posts_per_minute = $1, post_burst = $2
    WHERE name = $3)sql";
constexpr std::string_view kAddUsageSql = R"sql(
    INSERT INTO api_key_usage AS u (key_name, day, created, rejected, rate_limited)
    VALUES ($1, $2, $3, $4, $5)
    ON CONFLICT (key_name, day) DO UPDATE
    SET created = u.created + excluded.created,
        rejected = u.rejected + excluded.rejected,
        rate_limited = u.rate_limited + excluded.rate_limited)sql";
constexpr std::string_view kUsageSql = R"sql(
    SELECT day, created, rejected, rate_limited
    FROM api_key_usage
    WHERE key_name = $1
    ORDER BY day DESC
    LIMIT $2)sql";
constexpr std::string_view kDeleteExpiredClaimSql = R"sql(
    DELETE FROM idempotency_keys
    WHERE api_key_name = $1 AND idempotency_key = $2 AND created_at < $3)sql";
// Of concurrent inserts exactly one succeeds; the others wait for it and then do nothing.
constexpr std::string_view kInsertClaimSql = R"sql(
    INSERT INTO idempotency_keys (api_key_name, idempotency_key, fingerprint, request_id,
        created_at, status, content_type, body)
    VALUES ($1, $2, $3, $4, $5, 0, '', '')
    ON CONFLICT (api_key_name, idempotency_key) DO NOTHING)sql";
constexpr std::string_view kFindClaimSql = R"sql(
    SELECT api_key_name, idempotency_key, fingerprint, request_id, created_at, status,
        content_type, body
    FROM idempotency_keys
    WHERE api_key_name = $1 AND idempotency_key = $2)sql";
constexpr std::string_view kRenewClaimSql = R"sql(
    UPDATE idempotency_keys
    SET created_at = $1
    WHERE api_key_name = $2 AND idempotency_key = $3 AND status = 0)sql";
constexpr std::string_view kCompleteClaimSql = R"sql(
    UPDATE idempotency_keys
    SET status = $1, content_type = $2, body = $3
    WHERE api_key_name = $4 AND idempotency_key = $5)sql";
constexpr std::string_view kReleaseClaimSql = R"sql(
    DELETE FROM idempotency_keys
    WHERE api_key_name = $1 AND idempotency_key = $2 AND status = 0)sql";
constexpr std::string_view kPurgeClaimsSql = R"sql(
    DELETE FROM idempotency_keys
    WHERE created_at < $1)sql";

std::optional<int> optional_int(const pg::Row& r, int column) {
    auto value = r.optional_int64(column);
    return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

KeyLimits read_limits(const pg::Row& r) {
    return KeyLimits{optional_int(r, 0), optional_int(r, 1)};
}

KeyUsage read_usage(const pg::Row& r) {
    return KeyUsage{r.text(0), r.int64(1), r.int64(2), r.int64(3)};
}

IdempotencyRecord read_claim(const pg::Row& r) {
    return IdempotencyRecord{r.text(0),
                             r.text(1),
                             r.text(2),
                             r.text(3),
                             r.int64(4),
                             static_cast<int>(r.int64(5)),
                             r.text(6),
                             r.text(7)};
}

}  // namespace

std::optional<KeyLimits> PostgresStore::find_key_limits(const std::string& name) {
    const auto load = [&] {
        return read([&](pg::Connection& c) { return c.first(kFindLimitsSql, read_limits, name); });
    };
    return caches_trusted() ? limits_by_name_.get(name, load) : load();
}

bool PostgresStore::set_key_limits(const std::string& name, const KeyLimits& limits) {
    std::int64_t changed = 0;
    write(
        [&](pg::Connection& c) {
            changed = c.run(kSetLimitsSql, limits.posts_per_minute, limits.burst, name);
        },
        kKeys);
    return changed == 1;
}

void PostgresStore::add_key_usage(const std::vector<std::pair<std::string, KeyUsage>>& deltas) {
    if (deltas.empty()) {
        return;
    }
    write([&](pg::Connection& c) {
        for (const auto& [name, usage] : deltas) {
            c.run(kAddUsageSql, name, usage.day, usage.created, usage.rejected, usage.rate_limited);
        }
    });
}

std::vector<KeyUsage> PostgresStore::key_usage(const std::string& name, int days) {
    return read([&](pg::Connection& c) { return c.all(kUsageSql, read_usage, name, days); });
}

IdempotencyClaim PostgresStore::claim_idempotency_key(const IdempotencyRecord& fresh,
                                                      Timestamp expired_before) {
    IdempotencyClaim out{fresh, false};
    write([&](pg::Connection& c) {
        out = IdempotencyClaim{fresh, false};
        c.run(kDeleteExpiredClaimSql, fresh.api_key_name, fresh.key, expired_before);
        out.claimed = c.run(kInsertClaimSql,
                            fresh.api_key_name,
                            fresh.key,
                            fresh.fingerprint,
                            fresh.request_id,
                            fresh.created_at) == 1;
        if (!out.claimed) {
            // READ COMMITTED: this statement sees the row the winner committed.
            if (auto held = c.first(kFindClaimSql, read_claim, fresh.api_key_name, fresh.key)) {
                out.record = std::move(*held);
            }
        }
    });
    return out;
}

void PostgresStore::renew_idempotency_key(const IdempotencyRecord& record) {
    write_one(kRenewClaimSql, record.created_at, record.api_key_name, record.key);
}

void complete_claim(Connection& c, const IdempotencyRecord& record) {
    c.run(kCompleteClaimSql,
          record.status,
          record.content_type,
          record.body,
          record.api_key_name,
          record.key);
}

void PostgresStore::complete_idempotency_key(const IdempotencyRecord& record) {
    write([&record](pg::Connection& c) { complete_claim(c, record); });
}

void PostgresStore::release_idempotency_key(const std::string& api_key_name,
                                            const std::string& key) {
    write_one(kReleaseClaimSql, api_key_name, key);
}

std::int64_t PostgresStore::purge_idempotency_keys(Timestamp expired_before) {
    return write_one(kPurgeClaimsSql, expired_before);
}

}  // namespace open311::store::pg
