// SqliteStore: connections, API keys and moderation. Requests and the catalogue live in
// sqlite_requests.cpp and sqlite_catalogue.cpp.
#include "store/sqlite_store.hpp"

#include "store/migrate.hpp"
#include "store/sqlite_audit.hpp"

namespace open311::store {

SqliteStore::SqliteStore(const std::string& path, const std::string& synchronous) : path_(path) {
    options_.synchronous = synchronous;
    writer_ = std::make_unique<Database>(path_, options_);
    applied_ = migrate(*writer_);
}

SqliteStore::~SqliteStore() = default;

SqliteStore::ReaderLease::~ReaderLease() {
    std::lock_guard lock(store_.readers_mutex_);
    store_.idle_readers_.push_back(std::move(db_));
}

SqliteStore::ReaderLease SqliteStore::reader() {
    {
        std::lock_guard lock(readers_mutex_);
        if (!idle_readers_.empty()) {
            auto db = std::move(idle_readers_.back());
            idle_readers_.pop_back();
            return ReaderLease(*this, std::move(db));
        }
    }
    // The pool grows to the number of threads that read at once, then stays there.
    return ReaderLease(*this, std::make_unique<Database>(path_, options_));
}

namespace {

// clang-format off
constexpr std::string_view kInsertKeySql =
    "INSERT INTO api_keys (name, role, secret_hash, prefix, created_at, expires_at, revoked_at) "
    "VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT (name) DO NOTHING";
constexpr std::string_view kListKeysSql =
    "SELECT name, role, prefix, created_at, expires_at, revoked_at FROM api_keys ORDER BY name";
constexpr std::string_view kRevokeKeySql =
    "UPDATE api_keys SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL";
constexpr std::string_view kFindKeySql =
    "SELECT name, role, prefix, created_at, expires_at, revoked_at FROM api_keys "
    "WHERE secret_hash = ?";
constexpr std::string_view kSetStateSql =
    "UPDATE requests SET state = ?, reject_reason = ?, updated_at = ?, version = version + 1 "
    "WHERE id = ?";
// clang-format on

ApiKey read_key(Statement& s) {
    ApiKey key;
    key.name = s.text(0);
    key.role = role_from(s.text(1)).value_or(Role::client);
    key.prefix = s.text(2);
    key.created_at = s.int64(3);
    key.expires_at = s.optional_int64(4);
    key.revoked_at = s.optional_int64(5);
    return key;
}

bool write_key(Database& db, const ApiKey& key, const std::string& secret_hash) {
    StatementScope s(db.cached(kInsertKeySql));
    s->bind(1, key.name)
        .bind(2, to_string(key.role))
        .bind(3, secret_hash)
        .bind(4, key.prefix)
        .bind(5, key.created_at)
        .bind(6, key.expires_at)
        .run();
    return db.changes() == 1;
}

bool mark_key_revoked(Database& db, const std::string& name, Timestamp at) {
    StatementScope s(db.cached(kRevokeKeySql));
    s->bind(1, at).bind(2, name).run();
    return db.changes() == 1;
}

}  // namespace

bool SqliteStore::insert_key(const ApiKey& key, const std::string& secret_hash) {
    std::lock_guard lock(writer_mutex_);
    return write_key(*writer_, key, secret_hash);
}

bool SqliteStore::insert_key_audited(const ApiKey& key,
                                     const std::string& secret_hash,
                                     const AuditEntry& audit) {
    std::lock_guard lock(writer_mutex_);
    Transaction tx(*writer_);
    if (!write_key(*writer_, key, secret_hash)) {
        return false;
    }
    insert_audit(*writer_, audit);
    tx.commit();
    return true;
}

std::vector<ApiKey> SqliteStore::list_keys() {
    auto db = reader();
    StatementScope s(db->cached(kListKeysSql));
    std::vector<ApiKey> out;
    while (s->step()) {
        out.push_back(read_key(*s));
    }
    return out;
}

bool SqliteStore::revoke_key(const std::string& name, Timestamp at) {
    std::lock_guard lock(writer_mutex_);
    return mark_key_revoked(*writer_, name, at);
}

bool SqliteStore::revoke_key_audited(const std::string& name,
                                     Timestamp at,
                                     const AuditEntry& audit) {
    std::lock_guard lock(writer_mutex_);
    Transaction tx(*writer_);
    if (!mark_key_revoked(*writer_, name, at)) {
        return false;
    }
    insert_audit(*writer_, audit);
    tx.commit();
    return true;
}

std::optional<ApiKey> SqliteStore::find_key_by_hash(const std::string& secret_hash) {
    auto db = reader();
    StatementScope s(db->cached(kFindKeySql));
    s->bind(1, secret_hash);
    if (!s->step()) {
        return std::nullopt;
    }
    return read_key(*s);
}

std::optional<ServiceRequest> SqliteStore::set_moderation_state(const std::string& id,
                                                                ModerationState state,
                                                                const std::string& reason,
                                                                Timestamp at) {
    {
        std::lock_guard lock(writer_mutex_);
        StatementScope s(writer_->cached(kSetStateSql));
        s->bind(1, to_string(state)).bind(2, reason).bind(3, at).bind(4, id).run();
        if (writer_->changes() == 0) {
            return std::nullopt;
        }
    }
    return find_request(id);
}

}  // namespace open311::store
