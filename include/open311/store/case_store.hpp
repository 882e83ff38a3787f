#pragma once

#include "open311/domain/request.hpp"
#include "open311/domain/workflow.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace open311 {

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

/// Filter for the public updates feed and the staff update lists.
struct UpdateFilter {
    std::vector<ModerationState> states;          ///< of the updates; empty = any
    std::vector<ModerationState> request_states;  ///< of their requests; empty = any
    std::optional<Timestamp> from;                ///< inclusive
    std::optional<Timestamp> to;                  ///< inclusive
    /// GeoReport v2's update list gives "the first thousand"; the staff queue uses the same cap.
    static constexpr int kMaxResults = 1000;
    int limit = kMaxResults;
};

/// Case handling: every change to a request after its submission (moderation, edits, status
/// changes, updates) goes through commit_request_change, with its audit lines and messages.
class CaseStore {
public:
    virtual ~CaseStore() = default;

    /// Applies `change` atomically: the request (when `after` is set, only if its version is
    /// still `expected_version`, and then version + 1), new updates, update states, audit lines
    /// and outbox messages. On `not_found` or `stale` nothing at all is written.
    virtual ChangeOutcome commit_request_change(const RequestChange& change) = 0;
    /// One update with its submitter's data; nullopt when unknown.
    virtual std::optional<RequestUpdate> find_update(const std::string& update_id) = 0;
    /// Every update of one request, oldest first (all states).
    virtual std::vector<RequestUpdate> list_request_updates(const std::string& request_id) = 0;
    /// Updates by time, oldest first.
    virtual std::vector<RequestUpdate> search_updates(const UpdateFilter& filter) = 0;
    /// The update id an update token resolves to.
    virtual std::optional<std::string> find_update_id_by_token(const std::string& token) = 0;
};

}  // namespace open311
