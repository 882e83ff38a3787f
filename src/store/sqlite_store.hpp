#pragma once

#include "store/sqlite/database.hpp"

#include "open311/store/store.hpp"

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace open311::store {

/// The SQLite implementation of Store: one writer connection (writes are serialised here,
/// not by SQLite's busy loop) and a pool of reader connections, which WAL lets run
/// concurrently with the writer.
class SqliteStore final : public Store {
public:
    /// Opens (creating when missing) the database file and applies pending migrations.
    SqliteStore(const std::string& path, const std::string& synchronous);
    ~SqliteStore() override;

    std::shared_ptr<const std::vector<Service>> catalogue_snapshot() override;
    std::vector<Service> list_services(bool include_inactive) override;
    std::optional<Service> find_service(const std::string& code) override;
    void upsert_services(const std::vector<Service>& services) override;
    std::int64_t count_services() override;

    void insert_request(const ServiceRequest& request) override;
    std::optional<ServiceRequest> find_request(const std::string& id) override;
    Page<ServiceRequest> search_requests(const RequestFilter& filter) override;
    std::optional<std::string> find_request_id_by_token(const std::string& token) override;
    std::optional<ServiceRequest> set_moderation_state(const std::string& id,
                                                       ModerationState state,
                                                       const std::string& reason,
                                                       Timestamp at) override;

    ChangeOutcome commit_request_change(const RequestChange& change) override;
    std::optional<RequestUpdate> find_update(const std::string& update_id) override;
    std::vector<RequestUpdate> list_request_updates(const std::string& request_id) override;
    std::vector<RequestUpdate> search_updates(const UpdateFilter& filter) override;
    std::optional<std::string> find_update_id_by_token(const std::string& token) override;
    void append_audit(const AuditEntry& entry) override;
    std::vector<AuditEntry> list_request_audit(const std::string& request_id) override;
    std::vector<Notification> claim_due_notifications(Timestamp now,
                                                      int limit,
                                                      Timestamp lease_until) override;
    void mark_notification_sent(std::int64_t seq, Timestamp at) override;
    void mark_notification_failed(std::int64_t seq,
                                  const std::string& error,
                                  std::optional<Timestamp> retry_at) override;
    std::vector<Notification> list_request_notifications(const std::string& request_id) override;
    void set_outbox_listener(std::function<void()> listener) override;

    bool insert_key(const ApiKey& key, const std::string& secret_hash) override;
    std::vector<ApiKey> list_keys() override;
    bool revoke_key(const std::string& name, Timestamp at) override;
    std::optional<ApiKey> find_key_by_hash(const std::string& secret_hash) override;

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

    /// Names of migrations applied when this store was opened.
    const std::vector<std::string>& applied_migrations() const { return applied_; }

private:
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
    void notify_outbox();
    std::shared_ptr<const std::vector<Service>> catalogue(Database& db);

    std::string path_;
    Database::Options options_;
    std::mutex writer_mutex_;
    std::unique_ptr<Database> writer_;
    std::mutex readers_mutex_;
    std::vector<std::unique_ptr<Database>> idle_readers_;
    std::mutex catalogue_mutex_;
    std::shared_ptr<const std::vector<Service>> catalogue_;
    std::int64_t catalogue_revision_ = -1;
    std::vector<std::string> applied_;
    std::mutex listener_mutex_;
    std::function<void()> outbox_listener_;
};

}  // namespace open311::store
