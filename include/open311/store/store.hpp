#pragma once

#include "open311/domain/abuse.hpp"
#include "open311/domain/api_key.hpp"
#include "open311/domain/request.hpp"
#include "open311/domain/service.hpp"
#include "open311/domain/workflow.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace open311 {

/// A page of results plus the number of matches over all pages.
template <typename T>
struct Page {
    std::vector<T> items;
    std::int64_t total = 0;
};

/// Orders a request list may be sorted by (a whitelist; nothing from a query reaches SQL).
enum class RequestOrder { requested_desc, requested_asc, updated_desc, updated_asc };

/// A circle on the map, radius in metres.
struct GeoCircle {
    double lat = 0;
    double lon = 0;
    double radius_m = 0;
};

/// A lat/long box.
struct GeoBox {
    double min_lon = 0;
    double min_lat = 0;
    double max_lon = 0;
    double max_lat = 0;
};

/// Filter for request lists. Empty vectors and nullopt mean "no condition".
struct RequestFilter {
    std::vector<std::string> ids;  ///< when given, every other condition but `states` is ignored
    std::vector<ModerationState> states;
    std::vector<std::string> service_codes;
    std::vector<std::string> statuses;           ///< open | closed
    std::vector<std::string> detailed_statuses;  ///< any of them present
    std::optional<Timestamp> requested_from;     ///< inclusive
    std::optional<Timestamp> requested_to;       ///< inclusive
    std::optional<Timestamp> updated_from;
    std::optional<Timestamp> updated_to;
    std::string service_object_type;
    std::string service_object_id;
    std::optional<GeoCircle> near;
    std::optional<GeoBox> box;
    RequestOrder order = RequestOrder::requested_desc;
    int limit = 1000;
    std::int64_t offset = 0;
    /// Read only what public answers show: no submitter, no attribute answers (faster; and
    /// personal data is then not even loaded).
    bool public_only = false;
};

/// A change to one request, committed in one transaction with everything it causes.
struct RequestChange {
    std::string request_id;
    /// The whole public record as it should be stored; nullopt leaves the request as it is.
    std::optional<ServiceRequest> after;
    /// The version `after` was computed from; the change is refused as stale when it moved.
    std::int64_t expected_version = 0;
    std::vector<RequestUpdate> new_updates;
    /// Pending updates whose moderation state changes (update id → state); stale when one is
    /// no longer pending.
    std::vector<std::pair<std::string, ModerationState>> update_states;
    std::vector<AuditEntry> audit;
    std::vector<Notification> notifications;
};

enum class ChangeOutcome { applied, not_found, stale };

/// Outcome of a catalogue change made through the staff API.
enum class SaveOutcome { applied, exists, not_found };

/// Filter for the audit trail; empty strings and nullopt mean "no condition".
struct AuditFilter {
    std::string request_id;
    std::string actor;
    std::string action;                  ///< exact, or a prefix when it ends with '.' ("service.")
    std::optional<Timestamp> since;      ///< inclusive
    std::optional<std::int64_t> before;  ///< only lines older than this seq (the paging cursor)
    int limit = 100;
};

/// Filter for the public updates feed and the staff update lists.
struct UpdateFilter {
    std::vector<ModerationState> states;          ///< of the updates; empty = any
    std::vector<ModerationState> request_states;  ///< of their requests; empty = any
    std::optional<Timestamp> from;                ///< inclusive
    std::optional<Timestamp> to;                  ///< inclusive
    int limit = 1000;
};

/// Raised by a store for real faults (I/O, corruption, constraint bugs). Never shown to clients.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Everything the API layer needs from storage. Implementations are thread-safe; the
/// interface carries no database types, so that another backend can implement it.
class Store {
public:
    virtual ~Store() = default;

    // Service catalogue.
    /// The whole catalogue (inactive services included) ordered by code, shared and immutable:
    /// the cheap way to read it on every request.
    virtual std::shared_ptr<const std::vector<Service>> catalogue_snapshot() = 0;
    /// Every service ordered by code; inactive ones only when asked.
    virtual std::vector<Service> list_services(bool include_inactive) = 0;
    virtual std::optional<Service> find_service(const std::string& code) = 0;
    /// Inserts or replaces each service with its translations and attributes, in one transaction.
    virtual void upsert_services(const std::vector<Service>& services) = 0;
    virtual std::int64_t count_services() = 0;
    /// Adds a new service and its audit line in one transaction; `exists` when the code is taken.
    virtual SaveOutcome create_service(const Service& service, const AuditEntry& audit) = 0;
    /// Replaces an existing service (type, active, translations, attributes) and writes its
    /// audit line in one transaction; `not_found` when the code is unknown.
    virtual SaveOutcome update_service(const Service& service, const AuditEntry& audit) = 0;

    // Service requests.
    /// Stores a new request (with its uploaded media rows) durably; returns once committed.
    virtual void insert_request(const ServiceRequest& request) = 0;
    /// Stores many requests in one transaction (bulk loads such as `open311d seed`).
    virtual void insert_requests(const std::vector<ServiceRequest>& requests) = 0;
    virtual std::optional<ServiceRequest> find_request(const std::string& id) = 0;
    virtual Page<ServiceRequest> search_requests(const RequestFilter& filter) = 0;
    /// A number that moves with every write this store commits: an answer rendered while it
    /// had one value is current while it keeps it (writes of other processes on the same
    /// database do not move it).
    virtual std::uint64_t write_generation() = 0;
    /// The request id a batch token resolves to.
    virtual std::optional<std::string> find_request_id_by_token(const std::string& token) = 0;
    /// Sets the moderation state (and the rejection reason); nullopt when the id is unknown.
    virtual std::optional<ServiceRequest> set_moderation_state(const std::string& id,
                                                               ModerationState state,
                                                               const std::string& reason,
                                                               Timestamp at) = 0;

    // Media.
    /// An uploaded file by its name, with its request's id and moderation state.
    virtual std::optional<MediaEntry> find_media(const std::string& name) = 0;
    /// Removes one uploaded file from a request (the file itself is the media storage's) and
    /// appends `audit` to the trail in the same transaction; the request's updated time becomes
    /// `audit.at`. False (and nothing recorded) when the request has no file by that name.
    virtual bool delete_media(const std::string& request_id,
                              const std::string& name,
                              const AuditEntry& audit) = 0;
    // Case handling.
    /// Applies `change` atomically: the request (when `after` is set, only if its version is
    /// still `expected_version`, and then version + 1), new updates, update states, audit lines
    /// and outbox messages.
    virtual ChangeOutcome commit_request_change(const RequestChange& change) = 0;
    /// One update with its submitter's data; nullopt when unknown.
    virtual std::optional<RequestUpdate> find_update(const std::string& update_id) = 0;
    /// Every update of one request, oldest first (all states).
    virtual std::vector<RequestUpdate> list_request_updates(const std::string& request_id) = 0;
    /// Updates by time, oldest first.
    virtual std::vector<RequestUpdate> search_updates(const UpdateFilter& filter) = 0;
    /// The update id an update token resolves to.
    virtual std::optional<std::string> find_update_id_by_token(const std::string& token) = 0;

    // Audit trail (append-only).
    virtual void append_audit(const AuditEntry& entry) = 0;
    /// The trail of one request, oldest first.
    virtual std::vector<AuditEntry> list_request_audit(const std::string& request_id) = 0;
    /// Lines of the whole trail, newest first, at most `filter.limit`.
    virtual std::vector<AuditEntry> search_audit(const AuditFilter& filter) = 0;

    // Outbox.
    /// Claims up to `limit` pending messages due at `now` for one sender until `lease_until`.
    virtual std::vector<Notification> claim_due_notifications(Timestamp now,
                                                              int limit,
                                                              Timestamp lease_until) = 0;
    virtual void mark_notification_sent(std::int64_t seq, Timestamp at) = 0;
    /// Records a failed attempt: retried at `retry_at`, or failed for good when nullopt.
    virtual void mark_notification_failed(std::int64_t seq,
                                          const std::string& error,
                                          std::optional<Timestamp> retry_at) = 0;
    virtual std::vector<Notification> list_request_notifications(const std::string& request_id) = 0;
    /// Called after every commit that added outbox messages, on the committing thread, so that
    /// a sender can wake up at once instead of waiting for its next poll.
    virtual void set_outbox_listener(std::function<void()> listener) = 0;

    // API keys.
    /// Stores a key by the hash of its secret; false when the name is taken.
    virtual bool insert_key(const ApiKey& key, const std::string& secret_hash) = 0;
    virtual std::vector<ApiKey> list_keys() = 0;
    /// Marks a key revoked; false when no live key has that name.
    virtual bool revoke_key(const std::string& name, Timestamp at) = 0;
    /// insert_key with its audit line, in one transaction (nothing is written when it fails).
    virtual bool insert_key_audited(const ApiKey& key,
                                    const std::string& secret_hash,
                                    const AuditEntry& audit) = 0;
    /// revoke_key with its audit line, in one transaction (nothing is written when it fails).
    virtual bool revoke_key_audited(const std::string& name,
                                    Timestamp at,
                                    const AuditEntry& audit) = 0;
    virtual std::optional<ApiKey> find_key_by_hash(const std::string& secret_hash) = 0;

    // Abuse control and retries.
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
    /// Drops a claim whose request was refused, so the client may correct it and retry.
    virtual void release_idempotency_key(const std::string& api_key_name,
                                         const std::string& key) = 0;
    /// Deletes records created before `expired_before`; returns how many.
    virtual std::int64_t purge_idempotency_keys(Timestamp expired_before) = 0;
};

}  // namespace open311
