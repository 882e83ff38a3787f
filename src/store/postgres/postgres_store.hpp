#pragma once

#include "store/postgres/batch_writer.hpp"
#include "store/postgres/change_listener.hpp"
#include "store/postgres/expiring_cache.hpp"
#include "store/postgres/loop_reader.hpp"
#include "store/postgres/pool.hpp"

#include "open311/store/store.hpp"

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace open311::store::pg {

/// The PostgreSQL implementation of Store, for several servers sharing one database: a pool of
/// connections (each write is one transaction on one of them, READ COMMITTED, its version
/// checks in the UPDATEs), and a listener connection that hears the other servers' commits
/// (LISTEN/NOTIFY) for the change feed and the catalogue cache.
class PostgresStore final : public Store {
public:
    struct Options {
        std::string url;  ///< a libpq URI (postgresql://…)
        std::size_t pool_size = 10;
    };

    /// Connects, applies pending migrations and starts the listener; StoreError when the
    /// database cannot be reached (StoreErrc::unavailable) or is newer than this program.
    explicit PostgresStore(const Options& options);
    ~PostgresStore() override;

    // CatalogueStore (postgres_catalogue.cpp)
    std::shared_ptr<const std::vector<Service>> catalogue_snapshot() override;
    std::shared_ptr<const std::vector<Service>> catalogue_in_memory() override;
    std::vector<Service> list_services(bool include_inactive) override;
    std::optional<Service> find_service(const std::string& code) override;
    void upsert_services(const std::vector<Service>& services) override;
    std::int64_t count_services() override;
    SaveOutcome create_service(const Service& service, const AuditEntry& audit) override;
    SaveOutcome update_service(const Service& service, const AuditEntry& audit) override;

    // RequestStore (postgres_requests.cpp)
    void insert_request(const ServiceRequest& request) override;
    /// Through the batch writer: concurrent submissions share a transaction and its flush.
    void insert_request_then(ServiceRequest request,
                             std::optional<IdempotencyRecord> answered,
                             WriteDone done) override;
    void insert_requests(const std::vector<ServiceRequest>& requests) override;
    std::optional<ServiceRequest> find_request(const std::string& id) override;
    Page<ServiceRequest> search_requests(const RequestFilter& filter) override;
    std::optional<std::string> find_request_id_by_token(const std::string& token) override;
    /// On the loop's own connections (pg::LoopReader), without blocking its thread.
    bool reads_on_loop(boost::asio::io_context& loop) override;
    void find_request_on(boost::asio::io_context& loop,
                         const std::string& id,
                         RequestFound found) override;

    // MediaStore (postgres_media.cpp)
    std::optional<MediaEntry> find_media(const std::string& name) override;
    bool delete_media(const std::string& request_id,
                      const std::string& name,
                      const AuditEntry& audit) override;

    // CaseStore (postgres_cases.cpp)
    ChangeOutcome commit_request_change(const RequestChange& change) override;
    std::optional<RequestUpdate> find_update(const std::string& update_id) override;
    std::vector<RequestUpdate> list_request_updates(const std::string& request_id) override;
    std::vector<RequestUpdate> search_updates(const UpdateFilter& filter) override;
    std::optional<std::string> find_update_id_by_token(const std::string& token) override;

    // AuditStore (postgres_audit.cpp)
    void append_audit(const AuditEntry& entry) override;
    std::vector<AuditEntry> list_request_audit(const std::string& request_id) override;
    std::vector<AuditEntry> search_audit(const AuditFilter& filter) override;
    std::string audit_cursor(const AuditEntry& line) override;

    // OutboxStore (postgres_outbox.cpp)
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

    // KeyStore (postgres_keys.cpp)
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

    // AbuseStore (postgres_abuse.cpp)
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

    // InitiativeStore (postgres_initiatives.cpp)
    std::vector<Municipality> list_municipalities() override;
    std::optional<Municipality> find_municipality(int code) override;
    std::vector<Initiative> list_public_initiatives(const InitiativeQuery& query) override;
    std::optional<Initiative> find_initiative(std::int64_t id) override;
    std::int64_t count_initiatives() override;
    bool save_initiative(const Initiative& initiative, const AuditEntry& audit) override;
    bool delete_initiative(std::int64_t id, const AuditEntry& audit) override;

    // StaffStore (postgres_staff.cpp)
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

    // ChangeFeed (postgres_store.cpp): this server's commits plus those the listener heard
    // of; nullopt while the listener is disconnected (another server's commit could be missed).
    std::optional<std::uint64_t> change_version() override;
    Subscription subscribe(Topic topic, std::function<void()> callback) override;

    // StatsStore (*_stats.cpp).
    QueueStats queue_stats() override;

    const std::vector<std::string>& applied_migrations() const override { return applied_; }
    bool reads_block() const override { return true; }

    /// What a write concerns, for the other servers' caches and senders (a bit set).
    enum Concern : unsigned { kData = 0, kOutbox = 1, kCatalogue = 2, kKeys = 4 };

    /// Runs `job` in one transaction on a pooled connection and commits; a conflict
    /// (serialization failure, deadlock) runs it again on a fresh transaction, a few times.
    /// `job` must start from scratch each time it runs. Rethrows what the job threw (all of its
    /// changes rolled back). Every write of the store goes through here.
    void write(const std::function<void(pg::Connection&)>& job, unsigned concerns = kData);

    /// How long a catalogue cached in memory is trusted before its revision row is read again.
    static constexpr std::int64_t kCatalogueRecheckMillis = 1000;

private:
    /// `fn(connection)` on a pooled connection; a connection found dead is replaced once.
    template <typename Fn>
    auto read(Fn fn) {
        for (int attempt = 0;; ++attempt) {
            auto c = pool_.acquire();
            try {
                return fn(*c);
            } catch (const StoreError&) {
                if (attempt > 0 || c->healthy()) {
                    throw;
                }
            }
        }
    }
    /// Runs one statement as a write of its own; returns the number of rows it changed.
    template <typename... Args>
    std::int64_t write_one(std::string_view sql, const Args&... args) {
        std::int64_t changed = 0;
        write([&](pg::Connection& c) { changed = c.run(sql, args...); });
        return changed;
    }
    /// Runs `change` as one write and, when it changed something, appends `audit` (if given)
    /// in the same transaction; returns whether it changed something.
    bool write_audited(const std::function<bool(pg::Connection&)>& change,
                       const AuditEntry* audit,
                       unsigned concerns = kData);
    /// False while the listener is disconnected: another server's change could go unheard,
    /// so what is cached is not trusted.
    bool caches_trusted() const;
    /// Tells the other servers on this database of a commit (NOTIFY), never throwing.
    void announce(pg::Connection& c, unsigned concerns) noexcept;
    /// Called after a commit (this server's, or another's the listener heard of).
    void committed(unsigned concerns);
    std::shared_ptr<const std::vector<Service>> catalogue(pg::Connection& c);
    SaveOutcome save_service(const Service& service, const AuditEntry& audit, SaveOutcome refused);

    /// This store's reader on `loop`, made on first use.
    pg::LoopReader& loop_reader(boost::asio::io_context& loop);

    pg::Pool pool_;
    /// Tells this store's readers apart from another's on the same loop (tests open several).
    const std::uint64_t id_;
    std::string channel_;  ///< the NOTIFY channel of this database and schema
    std::vector<std::string> applied_;
    std::atomic<std::uint64_t> version_{0};
    std::mutex catalogue_mutex_;
    std::shared_ptr<const std::vector<Service>> catalogue_;
    std::int64_t catalogue_revision_ = -1;
    std::atomic<std::int64_t> catalogue_check_after_{0};
    std::mutex subscribers_mutex_;
    std::uint64_t next_subscriber_ = 0;
    std::vector<std::pair<std::uint64_t, std::function<void()>>> outbox_subscribers_;
    /// API keys by the hash of their secret, and their limits by name: read by every keyed
    /// request, changed rarely (kKeys); a second at most behind another server's change.
    pg::ExpiringCache<ApiKey> keys_by_hash_{std::chrono::seconds(1)};
    pg::ExpiringCache<KeyLimits> limits_by_name_{std::chrono::seconds(1)};
    std::unique_ptr<pg::BatchWriter> batches_;
    std::unique_ptr<pg::ChangeListener> listener_;  // last: stopped first
};

}  // namespace open311::store::pg
