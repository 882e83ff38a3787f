#pragma once

#include "mail/smtp_client.hpp"

#include "open311/config.hpp"
#include "open311/domain/workflow.hpp"
#include "open311/store/store.hpp"

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace open311::mail {

/// The delay before attempt `attempts + 1` after `attempts` failed ones: retry_initial,
/// doubled after each failure, at most retry_max.
std::chrono::seconds retry_delay(const MailSettings& settings, int attempts);

/// Delivers the outbox in the background: one thread that claims due messages (with a lease,
/// so that servers sharing a database never send one message twice at the same time), sends
/// each to the relay and records the result. Woken by the store's outbox listener, and every
/// poll_interval for retries and for messages written by other processes.
class OutboxSender final {
public:
    /// Builds the SMTP client (throws std::runtime_error when its CA file cannot be read).
    OutboxSender(Store& store, const MailSettings& settings);
    /// Stops the thread when still running.
    ~OutboxSender();
    OutboxSender(const OutboxSender&) = delete;
    OutboxSender& operator=(const OutboxSender&) = delete;

    /// Registers the outbox listener and starts the thread.
    void start();
    /// Finishes the message in hand (sent and recorded, or its failure recorded), then joins
    /// the thread and removes the listener. Claimed messages left unsent keep their lease and
    /// are taken again when it ends.
    void stop();
    /// Looks for due messages now instead of at the next poll.
    void wake();

private:
    void run();
    /// Claims and handles one message; false when none was due.
    bool deliver_one();
    void record(const Notification& n, SendStatus status, const std::string& reason);

    Store& store_;
    MailSettings settings_;
    std::unique_ptr<SmtpClient> client_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool woken_ = false;
    bool stopping_ = false;
    Subscription woken_by_commits_;
    std::thread thread_;
};

}  // namespace open311::mail
