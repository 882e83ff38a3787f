#pragma once

#include "open311/domain/workflow.hpp"

#include <optional>
#include <string>
#include <vector>

namespace open311 {

/// Outgoing e-mail, written by CaseStore::commit_request_change and delivered by senders that
/// may run in several processes: a claim leases a message to one sender at a time.
class OutboxStore {
public:
    virtual ~OutboxStore() = default;

    /// Claims up to `limit` pending messages due at `now` whose lease (if any) has ended, for
    /// one sender until `lease_until`; counts an attempt on each. Each message returned carries
    /// its `lease`, the token that records the outcome of this claim.
    virtual std::vector<Notification> claim_due_notifications(Timestamp now,
                                                              int limit,
                                                              Timestamp lease_until) = 0;
    /// Records the message of `lease` as sent. False (and nothing written) when the lease is no
    /// longer held: another claim took the message after the lease ran out, or its outcome was
    /// already recorded.
    virtual bool mark_notification_sent(const std::string& lease, Timestamp at) = 0;
    /// Records a failed attempt of the message of `lease`: retried at `retry_at`, or failed for
    /// good when nullopt. False (nothing written) when the lease is no longer held.
    virtual bool mark_notification_failed(const std::string& lease,
                                          const std::string& error,
                                          std::optional<Timestamp> retry_at) = 0;
    /// Queues a message that failed for good for one more attempt, now (staff's "Send again"),
    /// with its audit line. False (nothing written) unless message `seq` is about request
    /// `request_id` and has failed.
    virtual bool retry_notification(std::int64_t seq,
                                    const std::string& request_id,
                                    Timestamp at,
                                    const AuditEntry& audit) = 0;
    /// Every message about one request, oldest first.
    virtual std::vector<Notification> list_request_notifications(const std::string& request_id) = 0;
};

}  // namespace open311
