#pragma once

#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/database.hpp"
#include "store/sqlite/write_queue.hpp"

#include "open311/store/store.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace open311::store {

struct Snapshot;

/// The SQLite implementation of Store: one writer connection driven by a WriteQueue (writes
/// are serialised and group-committed there, not by SQLite's busy loop), a background WAL
/// checkpointer, and a pool of reader connections, which WAL lets run concurrently with the
/// writer.
class SqliteStore final : public Store {
public:
    /// Opens (creating when missing) the database file and applies pending migrations.
    SqliteStore(const std::string& path, const std::string& synchronous);
    ~SqliteStore() override;

    // CatalogueStore (sqlite_catalogue.cpp)
    std::shared_ptr<const std::vector<Service>> catalogue_snapshot() override;
    std::vector<Service> list_services(bool include_inactive) override;
    std::optional<Service> find_service(const std::string& code) override;
    void upsert_services(const std::vector<Service>& services) override;
    std::int64_t count_services() override;
    SaveOutcome create_service(const Service& service, const AuditEntry& audit) override;
    SaveOutcome update_service(const Service& service, const AuditEntry& audit) override;

    // RequestStore (sqlite_requests.cpp)
    void insert_request(const ServiceRequest& request) override;
    /// One job (the request and its Idempotency-Key answer); `done` is called from the writer
    /// thread after the batch's COMMIT.
    void insert_request_then(ServiceRequest request,
                             std::optional<IdempotencyRecord> answered,
                             WriteDone done) override;
    void insert_requests(const std::vector<ServiceRequest>& requests) override;
    std::optional<ServiceRequest> find_request(const std::string& id) override;
    Page<ServiceRequest> search_requests(const RequestFilter& filter) override;
    std::optional<std::string> find_request_id_by_token(const std::string& token) override;

    // MediaStore (sqlite_media.cpp)
    std::optional<MediaEntry> find_media(const std::string& name) override;
    bool delete_media(const std::string& request_id,
                      const std::string& name,
                      const AuditEntry& audit) override;

    // CaseStore (sqlite_cases.cpp)
    ChangeOutcome commit_request_change(const RequestChange& change) override;
    std::optional<RequestUpdate> find_update(const std::string& update_id) override;
    std::vector<RequestUpdate> list_request_updates(const std::string& request_id) override;
    std::vector<RequestUpdate> search_updates(const UpdateFilter& filter) override;
    std::optional<std::string> find_update_id_by_token(const std::string& token) override;

    // AuditStore (sqlite_audit.cpp)
    void append_audit(const AuditEntry& entry) override;
    std::vector<AuditEntry> list_request_audit(const std::string& request_id) override;
    std::vector<AuditEntry> search_audit(const AuditFilter& filter) override;
    std::string audit_cursor(const AuditEntry& line) override;

    // OutboxStore (sqlite_outbox.cpp)
    std::vector<Notification> claim_due_notifications(Timestamp now,
                                                      int limit,
                                                      Timestamp lease_until) override;
    bool mark_notification_sent(const std::string& lease, Timestamp at) override;
    bool mark_notification_failed(const std::string& lease,
                                  const std::string& error,
                                  std::optional<Timestamp> retry_at) override;
    bool retry_notification(std::int64_t seq,
                            const std::string& request_id,
                            Timestamp at,
                            const AuditEntry& audit) override;
    std::vector<Notification> list_request_notifications(const std::string& request_id) override;

    // KeyStore (sqlite_store.cpp)
    bool insert_key(const ApiKey& key, const std::string& secret_hash) override;
    std::vector<ApiKey> list_keys() override;
    bool revoke_key(const std::string& name, Timestamp at) override;
    bool insert_key_audited(const ApiKey& key,
                            const std::string& secret_hash,
                            const AuditEntry& audit) override;
    bool revoke_key_audited(const std::string& name,
                            Timestamp at,
                            const AuditEntry& audit) override;
    std::optional<ApiKey> find_key_by_hash(const std::string& secret_hash) override;

    // AbuseStore (sqlite_abuse.cpp)
    std::optional<KeyLimits> find_key_limits(const std::string& name) override;
    bool set_key_limits(const std::string& name, const KeyLimits& limits) override;
    void add_key_usage(const std::vector<std::pair<std::string, KeyUsage>>& deltas) override;
    std::vector<KeyUsage> key_usage(const std::string& name, int days) override;
    IdempotencyClaim claim_idempotency_key(const IdempotencyRecord& fresh,
                                           Timestamp expired_before) override;
    void renew_idempotency_key(const IdempotencyRecord& record) override;
    void complete_idempotency_key(const IdempotencyRecord& record) override;
    void release_idempotency_key(const std::string& api_key_name, const std::string& key) override;
    std::int64_t purge_idempotency_keys(Timestamp expired_before) override;

    // InitiativeStore (sqlite_initiatives.cpp)
    std::vector<Municipality> list_municipalities() override;
    std::optional<Municipality> find_municipality(int code) override;
    std::vector<Initiative> list_public_initiatives(const InitiativeQuery& query) override;
    std::optional<Initiative> find_initiative(std::int64_t id) override;
    std::int64_t count_initiatives() override;
    bool save_initiative(const Initiative& initiative, const AuditEntry& audit) override;
    bool delete_initiative(std::int64_t id, const AuditEntry& audit) override;
    // StaffStore (sqlite_staff.cpp)
    bool insert_user(const StaffUser& user, const AuditEntry& audit) override;
    std::vector<StaffUser> list_users() override;
    std::optional<StaffUser> find_user(const std::string& name) override;
    bool set_user_password(const std::string& name,
                           const std::string& password_hash,
                           const AuditEntry& audit) override;
    bool disable_user(const std::string& name, Timestamp at, const AuditEntry& audit) override;
    bool set_user_language(const std::string& name, const std::string& language) override;
    void insert_session(const StaffSession& session) override;
    std::optional<StaffSession> find_session(const std::string& token_hash) override;
    void touch_session(const std::string& token_hash, Timestamp at) override;
    bool delete_session(const std::string& token_hash) override;
    std::int64_t purge_sessions(Timestamp idle_before, Timestamp created_before) override;
    void record_login_failure(const std::string& key, Timestamp at) override;
    std::int64_t count_login_failures(const std::string& key, Timestamp since) override;
    void clear_login_failures(const std::string& key) override;
    std::int64_t purge_login_failures(Timestamp before) override;

    // ChangeFeed (sqlite_store.cpp): the commits of this process's write queue.
    std::optional<std::uint64_t> change_version() override { return writes_->commits(); }
    Subscription subscribe(Topic topic, std::function<void()> callback) override;

    // StatsStore (*_stats.cpp).
    QueueStats queue_stats() override;

    const std::vector<std::string>& applied_migrations() const override { return applied_; }

    /// SQLite's plan (EXPLAIN QUERY PLAN details) for the list and count statements that
    /// search_requests runs for `filter`: which index answers which public query.
    std::vector<std::string> query_plan(const RequestFilter& filter);

    /// Runs `job` on the writer connection inside the next group commit; returns once it is
    /// committed, or rethrows what the job threw (its changes rolled back, the batch's other
    /// jobs unaffected). Every write of the store goes through here.
    void write(const WriteQueue::Job& job) { writes_->run(job); }
    /// Commits so far; fewer than writes means concurrent writes shared a commit.
    std::size_t commits() const { return writes_->commits(); }

    /// Every row of every table as it is now (snapshot.cpp; small databases only: it is held
    /// in memory). `open311d sandbox` takes one of its seed state.
    std::shared_ptr<const Snapshot> snapshot();
    /// Puts every table back as it was in `snapshot`, in one commit: the sandbox's reset.
    void restore(const Snapshot& snapshot);

    /// How long a catalogue cached in memory is trusted before its revision row is read again
    /// (changes made through this store are seen at once; other processes' within this time).
    static constexpr std::int64_t kCatalogueRecheckMillis = 1000;

private:
    /// complete_idempotency_key's statement, inside the caller's job (sqlite_abuse.cpp).
    static void complete_claim(Database& db, const IdempotencyRecord& record);
    /// A reader connection borrowed from the pool; returned when the lease ends.
    class ReaderLease final {
    public:
        ReaderLease(SqliteStore& store, std::unique_ptr<Database> db)
            : store_(store), db_(std::move(db)) {}
        ~ReaderLease();
        ReaderLease(const ReaderLease&) = delete;
        ReaderLease& operator=(const ReaderLease&) = delete;
        Database& operator*() { return *db_; }
        Database* operator->() { return db_.get(); }

    private:
        SqliteStore& store_;
        std::unique_ptr<Database> db_;
    };

    ReaderLease reader();
    /// Runs one statement as a write of its own; returns the number of rows it changed.
    template <typename... Args>
    std::int64_t write_one(std::string_view sql, const Args&... args) {
        std::int64_t changed = 0;
        write([&](Database& db) { changed = db.run(sql, args...); });
        return changed;
    }
    /// Runs `change` as one write and, when it changed something, appends `audit` (if given)
    /// in the same transaction; returns whether it changed something.
    bool write_audited(const std::function<bool(Database&)>& change, const AuditEntry* audit);
    /// Calls the subscribers of `topic` (after a commit that concerns it).
    void notify(Topic topic);
    std::shared_ptr<const std::vector<Service>> catalogue(Database& db);
    /// create_service (refused: exists) and update_service (refused: not_found).
    SaveOutcome save_service(const Service& service, const AuditEntry& audit, SaveOutcome refused);

    std::string path_;
    Database::Options options_;
    std::unique_ptr<Database> writer_;
    std::unique_ptr<Checkpointer> checkpointer_;
    std::unique_ptr<WriteQueue> writes_;  // declared last of the three: stopped first
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<Database>> idle_readers_;
    std::mutex catalogue_mutex_;
    std::shared_ptr<const std::vector<Service>> catalogue_;
    std::int64_t catalogue_revision_ = -1;
    /// Steady-clock milliseconds after which the cached catalogue's revision is checked again;
    /// 0 forces a check (a catalogue write through this store sets it).
    std::atomic<std::int64_t> catalogue_check_after_{0};
    std::vector<std::string> applied_;
    /// Held while subscribers are called, so that a Subscription's reset waits for a call in
    /// progress: a subscriber is never called after it unsubscribed.
    std::mutex subscribers_mutex_;
    std::uint64_t next_subscriber_ = 0;
    std::vector<std::pair<std::uint64_t, std::function<void()>>> outbox_subscribers_;
};

}  // namespace open311::store
