// The exposition of GET /metrics: what is counted where, gathered in one place. Metric names
// follow Prometheus' conventions (base units, _total for counters); the HTTP ones are the
// names most dashboards expect.
#include "api/core/metrics_report.hpp"

#include "telemetry/build_info.hpp"
#include "telemetry/exposition.hpp"
#include "telemetry/process_metrics.hpp"

#include "open311/domain/time.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

namespace open311::api {
namespace {

using telemetry::Exposition;

void counter(Exposition& out, const char* name, const char* help, const telemetry::Counter& value) {
    out.family(name, "counter", help);
    out.sample(name, {}, value.value());
}

void write_cases(Exposition& out, const telemetry::ProcessMetrics& m) {
    out.family("open311_requests_created_total",
               "counter",
               "Service requests submitted, by their state on arrival (pending: waits for "
               "moderation; published: public at once).");
    out.sample("open311_requests_created_total",
               {{"state", "pending"}},
               m.requests_created_pending.value());
    out.sample("open311_requests_created_total",
               {{"state", "published"}},
               m.requests_created_published.value());
    counter(out,
            "open311_requests_published_total",
            "Service requests that became public: published by moderation or on arrival.",
            m.requests_published);
    counter(out,
            "open311_requests_rejected_total",
            "Service requests rejected by moderation.",
            m.requests_rejected);
    counter(out,
            "open311_requests_unpublished_total",
            "Published service requests taken back to pending by moderation.",
            m.requests_unpublished);
    counter(out,
            "open311_requests_closed_total",
            "Service requests whose status went from open to closed.",
            m.requests_closed);
    out.family("open311_posts_rate_limited_total",
               "counter",
               "POSTs answered 429 by a rate limit, by the limit (address or key).");
    out.sample("open311_posts_rate_limited_total",
               {{"limit", "address"}},
               m.posts_limited_address.value());
    out.sample("open311_posts_rate_limited_total", {{"limit", "key"}}, m.posts_limited_key.value());
}

void write_queues(Exposition& out, const std::optional<QueueStats>& q) {
    if (!q) {
        return;  // the store did not answer: the series are absent (alert on their absence)
    }
    const Timestamp at = now();
    auto age = [at](const std::optional<Timestamp>& oldest) {
        return oldest ? static_cast<std::int64_t>(std::max<Timestamp>(0, at - *oldest))
                      : std::int64_t{0};
    };
    out.family("open311_requests_pending", "gauge", "Service requests waiting for moderation.");
    out.sample("open311_requests_pending", {}, q->pending_requests);
    out.family("open311_requests_pending_oldest_age_seconds",
               "gauge",
               "Age of the oldest request waiting for moderation (0 when none waits).");
    out.sample("open311_requests_pending_oldest_age_seconds", {}, age(q->oldest_pending));
    out.family(
        "open311_outbox_queued", "gauge", "Notification e-mails waiting to be sent or retried.");
    out.sample("open311_outbox_queued", {}, q->outbox_queued);
    out.family("open311_outbox_oldest_queued_age_seconds",
               "gauge",
               "Age of the oldest e-mail waiting to be sent (0 when none waits).");
    out.sample("open311_outbox_oldest_queued_age_seconds", {}, age(q->oldest_queued));
    out.family("open311_outbox_failed",
               "gauge",
               "Notification e-mails given up on after their last attempt (staff can send them "
               "again).");
    out.sample("open311_outbox_failed", {}, q->outbox_failed);
}

void write_process(Exposition& out, const telemetry::ProcessMetrics& m) {
    counter(out,
            "open311_outbox_sent_total",
            "Notification e-mails accepted by the relay, by this process.",
            m.outbox_sent);
    counter(out,
            "open311_outbox_attempt_failures_total",
            "Delivery attempts that failed (retried later or not), by this process.",
            m.outbox_attempts_failed);
    counter(out,
            "open311_outbox_failed_total",
            "Notification e-mails given up on for good, by this process.",
            m.outbox_failed);
    counter(out,
            "open311_media_stored_files_total",
            "Uploaded photos stored (after their checks and cleaning).",
            m.media_files_stored);
    counter(out,
            "open311_media_stored_bytes_total",
            "Bytes of uploaded photos stored.",
            m.media_bytes_stored);
    out.family("open311_store_errors_total",
               "counter",
               "Errors raised by the store, by kind (conflicts are retried; unavailable is a "
               "lost database).");
    for (std::size_t i = 0; i < telemetry::kStoreErrorKinds.size(); ++i) {
        out.sample("open311_store_errors_total",
                   {{"kind", telemetry::kStoreErrorKinds[i]}},
                   m.store_errors[i].value());
    }
    std::array<std::uint64_t, telemetry::kBatchBounds.size() + 1> batch{};
    for (std::size_t i = 0; i < batch.size(); ++i) {
        batch[i] = m.write_batch_size.bucket(i);
    }
    out.family("open311_write_batch_size",
               "histogram",
               "Writes per group commit (SQLite: one transaction and one fsync for all of them).");
    out.histogram("open311_write_batch_size",
                  {},
                  telemetry::kBatchBounds.data(),
                  batch.data(),
                  telemetry::kBatchBounds.size(),
                  m.write_batch_size.sum(),
                  1.0);
    std::array<std::uint64_t, telemetry::kLatencyBoundsUs.size() + 1> commit{};
    for (std::size_t i = 0; i < commit.size(); ++i) {
        commit[i] = m.write_commit_us.bucket(i);
    }
    out.family("open311_write_commit_duration_seconds",
               "histogram",
               "Duration of one group commit, from BEGIN to the end of COMMIT (SQLite).");
    out.histogram("open311_write_commit_duration_seconds",
                  {},
                  telemetry::kLatencyBoundsUs.data(),
                  commit.data(),
                  telemetry::kLatencyBoundsUs.size(),
                  m.write_commit_us.sum(),
                  1e6);
    out.family("process_start_time_seconds",
               "gauge",
               "Start time of the process since unix epoch in seconds.");
    out.sample("process_start_time_seconds", {}, telemetry::process_start_time());
    out.family("open311_build_info", "gauge", "The version and git revision of this build.");
    out.sample("open311_build_info",
               {{"version", telemetry::build_version()}, {"revision", telemetry::build_revision()}},
               std::int64_t{1});
}

}  // namespace

std::optional<QueueStats> MetricsReport::queue_stats(Store& store) {
    std::lock_guard lock(mutex_);
    const auto now = std::chrono::steady_clock::now();
    const auto version = store.change_version();
    if (!stats_ || !version || version != version_ || now - read_at_ >= std::chrono::seconds(5)) {
        try {
            stats_ = store.queue_stats();
        } catch (const std::exception& e) {
            spdlog::warn("metrics: cannot read the queues: {}", e.what());
            stats_.reset();
        }
        read_at_ = now;
        version_ = version;
    }
    return stats_;
}

std::string MetricsReport::render(Store& store) {
    Exposition out;
    http.write(out);
    const auto& m = telemetry::process_metrics();
    write_cases(out, m);
    write_queues(out, queue_stats(store));
    write_process(out, m);
    return out.take();
}

}  // namespace open311::api
