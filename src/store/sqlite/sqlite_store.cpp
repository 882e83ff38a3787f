// SqliteStore: connections, change notifications and API keys. The other roles live in the
// sqlite_*.cpp files beside this one.
#include "store/sqlite/sqlite_store.hpp"

#include "store/sqlite/migrate.hpp"
#include "store/sqlite/sqlite_audit.hpp"

#include <algorithm>
#include <chrono>
#include <thread>

namespace open311::store {
namespace {

/// Opens the writer connection. Processes started together on a new file race to switch it
/// to WAL, and SQLite may answer the loser "database is locked" at once instead of waiting
/// for the busy timeout: such a start tries again for a while.
std::unique_ptr<Database> open_writer(const std::string& path, const Database::Options& options) {
    using namespace std::chrono_literals;
    const auto deadline = std::chrono::steady_clock::now() + 30s;
    for (auto pause = 5ms;; pause = std::min(pause * 2, 200ms)) {
        try {
            return std::make_unique<Database>(path, options);
        } catch (const StoreError& e) {
            if (!e.retryable() || std::chrono::steady_clock::now() + pause > deadline) {
                throw;
            }
        }
        std::this_thread::sleep_for(pause);
    }
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path, const std::string& synchronous) : path_(path) {
    options_.synchronous = synchronous;
    writer_ = open_writer(path_, options_);
    // Safe against another process migrating the same file at the same moment: see migrate().
    applied_ = migrate(*writer_);
    checkpointer_ = std::make_unique<Checkpointer>(path_, options_, *writer_);
    writes_ = std::make_unique<WriteQueue>(
        *writer_, WriteQueue::kMaxBatch, [this] { checkpointer_->after_batch(); });
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

Subscription SqliteStore::subscribe(Topic /*topic: only the outbox so far*/,
                                    std::function<void()> callback) {
    std::lock_guard lock(subscribers_mutex_);
    const std::uint64_t id = ++next_subscriber_;
    outbox_subscribers_.emplace_back(id, std::move(callback));
    return Subscription([this, id] {
        std::lock_guard cancel_lock(subscribers_mutex_);
        std::erase_if(outbox_subscribers_, [id](const auto& s) { return s.first == id; });
    });
}

void SqliteStore::notify(Topic /*topic*/) {
    std::lock_guard lock(subscribers_mutex_);
    for (const auto& [id, callback] : outbox_subscribers_) {
        callback();
    }
}

namespace {

constexpr std::string_view kInsertKeySql = R"sql(
    INSERT INTO api_keys (name, role, secret_hash, prefix, created_at, expires_at, revoked_at)
    VALUES (?, ?, ?, ?, ?, ?, NULL)
    ON CONFLICT (name) DO NOTHING)sql";
constexpr std::string_view kListKeysSql = R"sql(
    SELECT name, role, prefix, created_at, expires_at, revoked_at
    FROM api_keys
    ORDER BY name)sql";
constexpr std::string_view kRevokeKeySql = R"sql(
    UPDATE api_keys
    SET revoked_at = ?
    WHERE name = ? AND revoked_at IS NULL)sql";
constexpr std::string_view kFindKeySql = R"sql(
    SELECT name, role, prefix, created_at, expires_at, revoked_at
    FROM api_keys
    WHERE secret_hash = ?)sql";

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
    const auto role = to_string(key.role);
    return db.run(kInsertKeySql,
                  key.name,
                  role,
                  secret_hash,
                  key.prefix,
                  key.created_at,
                  key.expires_at) == 1;
}

bool mark_key_revoked(Database& db, const std::string& name, Timestamp at) {
    return db.run(kRevokeKeySql, at, name) == 1;
}

}  // namespace

bool SqliteStore::write_audited(const std::function<bool(Database&)>& change,
                                const AuditEntry* audit) {
    bool changed = false;
    write([&](Database& db) {
        changed = change(db);
        if (changed && audit != nullptr) {
            insert_audit(db, *audit);
        }
    });
    return changed;
}

bool SqliteStore::insert_key(const ApiKey& key, const std::string& secret_hash) {
    return write_audited([&](Database& db) { return write_key(db, key, secret_hash); }, nullptr);
}

bool SqliteStore::insert_key_audited(const ApiKey& key,
                                     const std::string& secret_hash,
                                     const AuditEntry& audit) {
    return write_audited([&](Database& db) { return write_key(db, key, secret_hash); }, &audit);
}

std::vector<ApiKey> SqliteStore::list_keys() {
    return reader()->all(kListKeysSql, read_key);
}

bool SqliteStore::revoke_key(const std::string& name, Timestamp at) {
    return write_audited([&](Database& db) { return mark_key_revoked(db, name, at); }, nullptr);
}

bool SqliteStore::revoke_key_audited(const std::string& name,
                                     Timestamp at,
                                     const AuditEntry& audit) {
    return write_audited([&](Database& db) { return mark_key_revoked(db, name, at); }, &audit);
}

std::optional<ApiKey> SqliteStore::find_key_by_hash(const std::string& secret_hash) {
    return reader()->first(kFindKeySql, read_key, secret_hash);
}

}  // namespace open311::store
