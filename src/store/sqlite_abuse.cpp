// SqliteStore: per-key rate limits, usage counters and idempotency records.
#include "store/sqlite_store.hpp"

namespace open311::store {
namespace {

// clang-format off
constexpr std::string_view kFindLimitsSql =
    "SELECT posts_per_minute, post_burst FROM api_keys WHERE name = ?";
constexpr std::string_view kSetLimitsSql =
    "UPDATE api_keys SET posts_per_minute = ?, post_burst = ? WHERE name = ?";
constexpr std::string_view kAddUsageSql =
    "INSERT INTO api_key_usage (key_name, day, created, rejected, rate_limited) "
    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_name, day) DO UPDATE SET "
    "created = created + excluded.created, rejected = rejected + excluded.rejected, "
    "rate_limited = rate_limited + excluded.rate_limited";
constexpr std::string_view kUsageSql =
    "SELECT day, created, rejected, rate_limited FROM api_key_usage WHERE key_name = ? "
    "ORDER BY day DESC LIMIT ?";
constexpr std::string_view kDeleteExpiredClaimSql =
    "DELETE FROM idempotency_keys "
    "WHERE api_key_name = ? AND idempotency_key = ? AND created_at < ?";
constexpr std::string_view kInsertClaimSql =
    "INSERT INTO idempotency_keys (api_key_name, idempotency_key, fingerprint, request_id, "
    "created_at, status, content_type, body) VALUES (?, ?, ?, ?, ?, 0, '', '') "
    "ON CONFLICT (api_key_name, idempotency_key) DO NOTHING";
constexpr std::string_view kFindClaimSql =
    "SELECT api_key_name, idempotency_key, fingerprint, request_id, created_at, status, "
    "content_type, body FROM idempotency_keys WHERE api_key_name = ? AND idempotency_key = ?";
constexpr std::string_view kRenewClaimSql =
    "UPDATE idempotency_keys SET created_at = ? "
    "WHERE api_key_name = ? AND idempotency_key = ? AND status = 0";
constexpr std::string_view kCompleteClaimSql =
    "UPDATE idempotency_keys SET status = ?, content_type = ?, body = ? "
    "WHERE api_key_name = ? AND idempotency_key = ?";
constexpr std::string_view kReleaseClaimSql =
    "DELETE FROM idempotency_keys WHERE api_key_name = ? AND idempotency_key = ? AND status = 0";
constexpr std::string_view kPurgeClaimsSql =
    "DELETE FROM idempotency_keys WHERE created_at < ?";
// clang-format on

std::optional<int> optional_int(Statement& s, int column) {
    auto value = s.optional_int64(column);
    return value ? std::optional<int>(static_cast<int>(*value)) : std::nullopt;
}

}  // namespace

std::optional<KeyLimits> SqliteStore::find_key_limits(const std::string& name) {
    auto db = reader();
    StatementScope s(db->cached(kFindLimitsSql));
    s->bind(1, name);
    if (!s->step()) {
        return std::nullopt;
    }
    return KeyLimits{optional_int(*s, 0), optional_int(*s, 1)};
}

bool SqliteStore::set_key_limits(const std::string& name, const KeyLimits& limits) {
    bool changed = false;
    write([&](Database& db) {
        StatementScope s(db.cached(kSetLimitsSql));
        s->bind(1, limits.posts_per_minute).bind(2, limits.burst).bind(3, name).run();
        changed = db.changes() == 1;
    });
    return changed;
}

void SqliteStore::add_key_usage(const std::vector<std::pair<std::string, KeyUsage>>& deltas) {
    if (deltas.empty()) {
        return;
    }
    write([&](Database& db) {
        for (const auto& [name, usage] : deltas) {
            StatementScope s(db.cached(kAddUsageSql));
            s->bind(1, name)
                .bind(2, usage.day)
                .bind(3, usage.created)
                .bind(4, usage.rejected)
                .bind(5, usage.rate_limited)
                .run();
        }
    });
}

std::vector<KeyUsage> SqliteStore::key_usage(const std::string& name, int days) {
    auto db = reader();
    StatementScope s(db->cached(kUsageSql));
    s->bind(1, name).bind(2, days);
    std::vector<KeyUsage> out;
    while (s->step()) {
        out.push_back(KeyUsage{s->text(0), s->int64(1), s->int64(2), s->int64(3)});
    }
    return out;
}

IdempotencyClaim SqliteStore::claim_idempotency_key(const IdempotencyRecord& fresh,
                                                    Timestamp expired_before) {
    IdempotencyClaim out{fresh, false};
    write([&](Database& db) {
        {
            StatementScope s(db.cached(kDeleteExpiredClaimSql));
            s->bind(1, fresh.api_key_name).bind(2, fresh.key).bind(3, expired_before).run();
        }
        {
            StatementScope s(db.cached(kInsertClaimSql));
            s->bind(1, fresh.api_key_name)
                .bind(2, fresh.key)
                .bind(3, fresh.fingerprint)
                .bind(4, fresh.request_id)
                .bind(5, fresh.created_at)
                .run();
            out.claimed = db.changes() == 1;
        }
        if (!out.claimed) {
            StatementScope s(db.cached(kFindClaimSql));
            s->bind(1, fresh.api_key_name).bind(2, fresh.key);
            if (s->step()) {
                out.record = IdempotencyRecord{s->text(0),
                                               s->text(1),
                                               s->text(2),
                                               s->text(3),
                                               s->int64(4),
                                               static_cast<int>(s->int64(5)),
                                               s->text(6),
                                               s->text(7)};
            }
        }
    });
    return out;
}

void SqliteStore::renew_idempotency_key(const IdempotencyRecord& record) {
    write([&](Database& db) {
        StatementScope s(db.cached(kRenewClaimSql));
        s->bind(1, record.created_at).bind(2, record.api_key_name).bind(3, record.key).run();
    });
}

void SqliteStore::complete_idempotency_key(const IdempotencyRecord& record) {
    write([&](Database& db) {
        StatementScope s(db.cached(kCompleteClaimSql));
        s->bind(1, record.status)
            .bind(2, record.content_type)
            .bind(3, record.body)
            .bind(4, record.api_key_name)
            .bind(5, record.key)
            .run();
    });
}

void SqliteStore::release_idempotency_key(const std::string& api_key_name, const std::string& key) {
    write([&](Database& db) {
        StatementScope s(db.cached(kReleaseClaimSql));
        s->bind(1, api_key_name).bind(2, key).run();
    });
}

std::int64_t SqliteStore::purge_idempotency_keys(Timestamp expired_before) {
    std::int64_t purged = 0;
    write([&](Database& db) {
        StatementScope s(db.cached(kPurgeClaimsSql));
        s->bind(1, expired_before).run();
        purged = db.changes();
    });
    return purged;
}

}  // namespace open311::store
