// SqliteStore: per-key rate limits, usage counters and idempotency records.
#include "store/sqlite/sqlite_store.hpp"

namespace open311::store {
namespace {

constexpr std::string_view kFindLimitsSql = R"sql(
    SELECT posts_per_minute, post_burst
    FROM api_keys
    WHERE name = ?)sql";
constexpr std::string_view kSetLimitsSql = R"sql(
    UPDATE api_keys
    SET posts_per_minute = ?, post_burst = ?
    WHERE name = ?)sql";
constexpr std::string_view kAddUsageSql = R"sql(
    INSERT INTO api_key_usage (key_name, day, created, rejected, rate_limited)
    VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (key_name, day) DO UPDATE
    SET created = created + excluded.created,
        rejected = rejected + excluded.rejected,
        rate_limited = rate_limited + excluded.rate_limited)sql";
constexpr std::string_view kUsageSql = R"sql(
    SELECT day, created, rejected, rate_limited
    FROM api_key_usage
    WHERE key_name = ?
    ORDER BY day DESC
    LIMIT ?)sql";
constexpr std::string_view kDeleteExpiredClaimSql = R"sql(
    DELETE FROM idempotency_keys
    WHERE api_key_name = ? AND idempotency_key = ? AND created_at < ?)sql";
constexpr std::string_view kInsertClaimSql = R"sql(
    INSERT INTO idempotency_keys (api_key_name, idempotency_key, fingerprint, request_id,
        created_at, status, content_type, body)
    VALUES (?, ?, ?, ?, ?, 0, '', '')
    ON CONFLICT (api_key_name, idempotency_key) DO NOTHING)sql";
constexpr std::string_view kFindClaimSql = R"sql(
    SELECT api_key_name, idempotency_key, fingerprint, request_id, created_at, status,
        content_type, body
    FROM idempotency_keys
    WHERE api_key_name = ? AND idempotency_key = ?)sql";
constexpr std::string_view kRenewClaimSql = R"sql(
    UPDATE idempotency_keys
    SET created_at = ?
    WHERE api_key_name = ? AND idempotency_key = ? AND status = 0)sql";
constexpr std::string_view kCompleteClaimSql = R"sql(
    UPDATE idempotency_keys
    SET status = ?, content_type = ?, body = ?
    WHERE api_key_name = ? AND idempotency_key = ?)sql";
constexpr std::string_view kReleaseClaimSql = R"sql(
    DELETE FROM idempotency_keys
    WHERE api_key_name = ? AND idempotency_key = ? AND status = 0)sql";
constexpr std::string_view kPurgeClaimsSql = R"sql(
    DELETE FROM idempotency_keys
    WHERE created_at < ?)sql";

std::optional<int> optional_int(Statement& s, int column) {
    auto value = s.optional_int64(column);
    return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

KeyLimits read_limits(Statement& s) {
    return KeyLimits{optional_int(s, 0), optional_int(s, 1)};
}

KeyUsage read_usage(Statement& s) {
    return KeyUsage{s.text(0), s.int64(1), s.int64(2), s.int64(3)};
}

IdempotencyRecord read_claim(Statement& s) {
    return IdempotencyRecord{s.text(0),
                             s.text(1),
                             s.text(2),
                             s.text(3),
                             s.int64(4),
                             static_cast<int>(s.int64(5)),
                             s.text(6),
                             s.text(7)};
}

}  // namespace

std::optional<KeyLimits> SqliteStore::find_key_limits(const std::string& name) {
    return reader()->first(kFindLimitsSql, read_limits, name);
}

bool SqliteStore::set_key_limits(const std::string& name, const KeyLimits& limits) {
    return write_one(kSetLimitsSql, limits.posts_per_minute, limits.burst, name) == 1;
}

void SqliteStore::add_key_usage(const std::vector<std::pair<std::string, KeyUsage>>& deltas) {
    if (deltas.empty()) {
        return;
    }
    write([&](Database& db) {
        for (const auto& [name, usage] : deltas) {
            db.run(
                kAddUsageSql, name, usage.day, usage.created, usage.rejected, usage.rate_limited);
        }
    });
}

std::vector<KeyUsage> SqliteStore::key_usage(const std::string& name, int days) {
    return reader()->all(kUsageSql, read_usage, name, days);
}

IdempotencyClaim SqliteStore::claim_idempotency_key(const IdempotencyRecord& fresh,
                                                    Timestamp expired_before) {
    IdempotencyClaim out{fresh, false};
    write([&](Database& db) {
        db.run(kDeleteExpiredClaimSql, fresh.api_key_name, fresh.key, expired_before);
        out.claimed = db.run(kInsertClaimSql,
                             fresh.api_key_name,
                             fresh.key,
                             fresh.fingerprint,
                             fresh.request_id,
                             fresh.created_at) == 1;
        if (!out.claimed) {
            if (auto held = db.first(kFindClaimSql, read_claim, fresh.api_key_name, fresh.key)) {
                out.record = std::move(*held);
            }
        }
    });
    return out;
}

void SqliteStore::renew_idempotency_key(const IdempotencyRecord& record) {
    write_one(kRenewClaimSql, record.created_at, record.api_key_name, record.key);
}

void SqliteStore::complete_idempotency_key(const IdempotencyRecord& record) {
    write([&record](Database& db) { complete_claim(db, record); });
}

void SqliteStore::complete_claim(Database& db, const IdempotencyRecord& record) {
    db.run(kCompleteClaimSql,
           record.status,
           record.content_type,
           record.body,
           record.api_key_name,
           record.key);
}

void SqliteStore::release_idempotency_key(const std::string& api_key_name, const std::string& key) {
    write_one(kReleaseClaimSql, api_key_name, key);
}

std::int64_t SqliteStore::purge_idempotency_keys(Timestamp expired_before) {
    return write_one(kPurgeClaimsSql, expired_before);
}

}  // namespace open311::store
