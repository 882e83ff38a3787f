// PostgresStore: API keys, stored by the hash of their secret.
#include "store/postgres/postgres_audit.hpp"
#include "store/postgres/postgres_store.hpp"

namespace open311::store::pg {
namespace {

constexpr std::string_view kInsertKeySql = R"sql(
    INSERT INTO api_keys (name, role, secret_hash, prefix, created_at, expires_at, revoked_at)
    VALUES ($1, $2, $3, $4, $5, $6, NULL)
    ON CONFLICT (name) DO NOTHING)sql";
constexpr std::string_view kListKeysSql = R"sql(
    SELECT name, role, prefix, created_at, expires_at, revoked_at
    FROM api_keys
    ORDER BY name)sql";
constexpr std::string_view kRevokeKeySql = R"sql(
    UPDATE api_keys
    SET revoked_at = $1
    WHERE name = $2 AND revoked_at IS NULL)sql";
constexpr std::string_view kFindKeySql = R"sql(
    SELECT name, role, prefix, created_at, expires_at, revoked_at
    FROM api_keys
    WHERE secret_hash = $1)sql";

ApiKey read_key(const pg::Row& r) {
    ApiKey key;
    key.name = r.text(0);
    key.role = role_from(r.text(1)).value_or(Role::client);
    key.prefix = r.text(2);
    key.created_at = r.int64(3);
    key.expires_at = r.optional_int64(4);
    key.revoked_at = r.optional_int64(5);
    return key;
}

bool write_key(pg::Connection& c, const ApiKey& key, const std::string& secret_hash) {
    return c.run(kInsertKeySql,
                 key.name,
                 to_string(key.role),
                 secret_hash,
                 key.prefix,
                 key.created_at,
                 key.expires_at) == 1;
}

bool mark_key_revoked(pg::Connection& c, const std::string& name, Timestamp at) {
    return c.run(kRevokeKeySql, at, name) == 1;
}

}  // namespace

bool PostgresStore::insert_key(const ApiKey& key, const std::string& secret_hash) {
    return write_audited(
        [&](pg::Connection& c) { return write_key(c, key, secret_hash); }, nullptr, kKeys);
}

bool PostgresStore::insert_key_audited(const ApiKey& key,
                                       const std::string& secret_hash,
                                       const AuditEntry& audit) {
    return write_audited(
        [&](pg::Connection& c) { return write_key(c, key, secret_hash); }, &audit, kKeys);
}

std::vector<ApiKey> PostgresStore::list_keys() {
    return read([](pg::Connection& c) { return c.all(kListKeysSql, read_key); });
}

bool PostgresStore::revoke_key(const std::string& name, Timestamp at) {
    return write_audited(
        [&](pg::Connection& c) { return mark_key_revoked(c, name, at); }, nullptr, kKeys);
}

bool PostgresStore::revoke_key_audited(const std::string& name,
                                       Timestamp at,
                                       const AuditEntry& audit) {
    return write_audited(
        [&](pg::Connection& c) { return mark_key_revoked(c, name, at); }, &audit, kKeys);
}

std::optional<ApiKey> PostgresStore::find_key_by_hash(const std::string& secret_hash) {
    const auto load = [&] {
        return read([&](pg::Connection& c) { return c.first(kFindKeySql, read_key, secret_hash); });
    };
    return caches_trusted() ? keys_by_hash_.get(secret_hash, load) : load();
}

}  // namespace open311::store::pg
