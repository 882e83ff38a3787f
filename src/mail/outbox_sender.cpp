// The outbox's delivery loop. A message is claimed, sent and recorded one at a time, so that a
// stop never leaves more than the message in hand unfinished, and a crash leaves at most that
// one to be sent again when its lease ends (at-least-once; see docs/operations.md).
#include "mail/outbox_sender.hpp"

#include "telemetry/process_metrics.hpp"
#include "util/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace open311::mail {
namespace {

/// The relay's answer can quote the recipient; logs get no addresses (personal data).
std::string redact_addresses(std::string_view text) {
    std::string out;
    for_each_piece(text, " ", [&out, &text](std::string_view word) {
        out += word.find('@') == std::string_view::npos ? std::string(word) : "<address>";
        if (word.data() + word.size() < text.data() + text.size()) {
            out += ' ';
        }
    });
    return out;
}

/// The error as stored for staff: printable ASCII only (a relay's reply is untrusted bytes and
/// must not break the JSON of the staff API), and short.
std::string stored_error(std::string_view error) {
    constexpr std::size_t kMaxErrorBytes = 500;
    std::string out;
    for (char c : error.substr(0, kMaxErrorBytes)) {
        const auto u = static_cast<unsigned char>(c);
        out += u >= 0x20 && u < 0x7f ? c : '?';
    }
    return out;
}

std::string domain_of(const std::string& address) {
    auto at = address.rfind('@');
    return at == std::string::npos ? std::string("localhost") : address.substr(at + 1);
}

/// Long enough for every step of one SMTP transaction to use its whole timeout.
Timestamp lease_seconds(const MailSettings& settings) {
    constexpr int kStepsPerMessage = 20;
    auto per_step = std::chrono::ceil<std::chrono::seconds>(settings.timeout).count();
    return static_cast<Timestamp>(kStepsPerMessage * per_step + 60);
}

}  // namespace

std::chrono::seconds retry_delay(const MailSettings& settings, int attempts) {
    auto delay = settings.retry_initial;
    for (int i = 1; i < attempts && delay < settings.retry_max; ++i) {
        delay *= 2;
    }
    return std::min(delay, settings.retry_max);
}

OutboxSender::OutboxSender(Store& store, const MailSettings& settings)
    : store_(store), settings_(settings), client_(std::make_unique<SmtpClient>(settings_)) {}

OutboxSender::~OutboxSender() {
    stop();
}

void OutboxSender::start() {
    woken_by_commits_ = store_.subscribe(Topic::outbox, [this] { wake(); });
    thread_ = std::thread([this] { run(); });
    spdlog::info("mail: delivering the outbox to {}:{}", settings_.host, settings_.port);
}

void OutboxSender::stop() {
    if (!thread_.joinable()) {
        return;
    }
    woken_by_commits_.reset();
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void OutboxSender::wake() {
    {
        std::lock_guard lock(mutex_);
        woken_ = true;
    }
    wake_.notify_all();
}

void OutboxSender::run() {
    while (true) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) {
                return;
            }
            woken_ = false;
        }
        bool delivered = false;
        try {
            delivered = deliver_one();
        } catch (const std::exception& e) {
            // The database is busy or failing: wait for the next poll rather than spin.
            spdlog::error("mail: outbox: {}", e.what());
        }
        if (delivered) {
            continue;
        }
        std::unique_lock lock(mutex_);
        wake_.wait_for(lock, settings_.poll_interval, [this] { return woken_ || stopping_; });
    }
}

bool OutboxSender::deliver_one() {
    const Timestamp claimed_at = now();
    auto claimed =
        store_.claim_due_notifications(claimed_at, 1, claimed_at + lease_seconds(settings_));
    if (claimed.empty()) {
        return false;
    }
    const auto& n = claimed.front();
    MailMessage message;
    message.from = settings_.sender;
    message.to = n.recipient;
    message.subject = n.subject;
    message.body = n.body;
    message.date = now();
    // The same id on every attempt, so that a copy sent twice (see the file comment) can be
    // recognised as one message.
    message.message_id = "open311d." + std::to_string(n.seq) + "." + std::to_string(n.created_at) +
                         "@" + domain_of(settings_.sender);
    auto result = client_->send(message);
    record(n, result.status, result.error);
    return true;
}

void OutboxSender::record(const Notification& n, SendStatus status, const std::string& reason) {
    const std::string error = stored_error(reason);
    if (status == SendStatus::sent) {
        if (!store_.mark_notification_sent(n.lease, now())) {
            spdlog::warn("mail: outbox {} sent, but its lease had passed to another sender", n.seq);
            return;
        }
        telemetry::process_metrics().outbox_sent.add();
        spdlog::info("mail: outbox {} (request {}, {}) sent, attempt {}",
                     n.seq,
                     n.request_id,
                     n.kind,
                     n.attempts);
        return;
    }
    if (status == SendStatus::permanent || n.attempts >= settings_.max_attempts) {
        if (!store_.mark_notification_failed(n.lease, error, std::nullopt)) {
            return;  // another sender holds it now and records its own outcome
        }
        telemetry::process_metrics().outbox_attempts_failed.add();
        telemetry::process_metrics().outbox_failed.add();
        spdlog::error("mail: outbox {} (request {}, {}) failed for good after {} attempt(s): {}",
                      n.seq,
                      n.request_id,
                      n.kind,
                      n.attempts,
                      redact_addresses(error));
        return;
    }
    const auto delay = retry_delay(settings_, n.attempts);
    if (!store_.mark_notification_failed(n.lease, error, now() + delay.count())) {
        return;
    }
    telemetry::process_metrics().outbox_attempts_failed.add();
    spdlog::warn("mail: outbox {} (request {}, {}) attempt {} failed, retry in {} s: {}",
                 n.seq,
                 n.request_id,
                 n.kind,
                 n.attempts,
                 delay.count(),
                 redact_addresses(error));
}

}  // namespace open311::mail
