// Moderation and staff edits of a request, and the retry loop every case action shares.
#include "workflow/cases.hpp"

#include "telemetry/process_metrics.hpp"
#include "util/random.hpp"
#include "workflow/audit.hpp"
#include "workflow/request_edit.hpp"

#include "open311/domain/status_map.hpp"

#include <spdlog/spdlog.h>

namespace open311::workflow {

namespace {

using nlohmann::ordered_json;

/// How many times a change without a client precondition is recomputed when another writer
/// got in between.
constexpr int kAttempts = 3;

ApiError no_request(const std::string& id) {
    return {ErrorCode::not_found, "no request '" + id + "'"};
}

/// The update a staff change of status, detailed status or notes publishes. Its FMS status
/// is an extended one (fixed, in_progress, not_councils_responsibility…) only when the staff
/// member chose a detailed status; a plain open or close is reported as open or closed.
RequestUpdate staff_update_for(const ServiceRequest& after,
                               const RequestEdit& edit,
                               const std::string& actor,
                               Timestamp at) {
    RequestUpdate u;
    u.id = random_id(20);
    u.request_id = after.id;
    u.state = ModerationState::published;
    u.status = after.status;
    u.detailed_status = after.detailed_status;
    u.external_status = edit.detailed_status
                            ? external_status_for(after.status, after.detailed_status)
                            : after.status;
    u.description = edit.status_notes.value_or("");
    u.at = at;
    u.source = UpdateSource::staff;
    u.api_key_name = actor;
    return u;
}

const char* moderation_action(ModerationState target) {
    return target == ModerationState::published  ? "request.publish"
           : target == ModerationState::rejected ? "request.reject"
                                                 : "request.unpublish";
}

}  // namespace

CaseWorkflow::CaseWorkflow(const Config& config, Store& store, media::MediaStorage& media)
    : store_(store), media_(media), notify_(config, store) {}

Outcome<ServiceRequest> CaseWorkflow::commit(const std::string& id,
                                             std::optional<std::int64_t> precondition,
                                             const Plan& plan) {
    auto stale = [&](std::int64_t actual) {
        auto o = Outcome<ServiceRequest>::refused(
            {ErrorCode::conflict,
             "request '" + id + "' changed since version " + std::to_string(*precondition) +
                 " (now " + std::to_string(actual) + "); reload it and apply the edit again"});
        o.current_version = actual;
        return o;
    };
    for (int attempt = 0; attempt < kAttempts; ++attempt) {
        auto current = store_.find_request(id);
        if (!current) {
            return Outcome<ServiceRequest>::refused(no_request(id));
        }
        if (precondition && *precondition != current->version) {
            return stale(current->version);
        }
        auto decided = plan(*current, now());
        if (!decided.change) {
            return decided.answer ? std::move(*decided.answer)
                                  : Outcome<ServiceRequest>::done(std::move(*current));
        }
        switch (store_.commit_request_change(*decided.change)) {
            case ChangeOutcome::applied:
                if (auto stored = store_.find_request(id)) {
                    return Outcome<ServiceRequest>::done(std::move(*stored));
                }
                return Outcome<ServiceRequest>::refused(no_request(id));
            case ChangeOutcome::not_found:
                return Outcome<ServiceRequest>::refused(no_request(id));
            case ChangeOutcome::stale:
                if (precondition) {
                    auto latest = store_.find_request(id);
                    return stale(latest ? latest->version : 0);
                }
                break;  // no precondition: recompute on the newer version
        }
    }
    return Outcome<ServiceRequest>::refused(
        {ErrorCode::conflict, "the request is being changed by others right now; try again"});
}

Outcome<ServiceRequest> CaseWorkflow::publish(const std::string& id, const std::string& actor) {
    return moderate(id, ModerationState::published, "", actor);
}

Outcome<ServiceRequest> CaseWorkflow::reject(const std::string& id,
                                             const std::string& reason,
                                             const std::string& actor) {
    return moderate(id, ModerationState::rejected, reason, actor);
}

Outcome<ServiceRequest> CaseWorkflow::unpublish(const std::string& id, const std::string& actor) {
    return moderate(id, ModerationState::pending, "", actor);
}

Outcome<ServiceRequest> CaseWorkflow::moderate(const std::string& id,
                                               ModerationState target,
                                               const std::string& reason,
                                               const std::string& actor) {
    auto outcome = commit(id, std::nullopt, [&](const ServiceRequest& current, Timestamp at) {
        Attempt attempt;
        if (target == ModerationState::published && !current.can_be_published) {
            attempt.answer = Outcome<ServiceRequest>::refused(
                {ErrorCode::conflict,
                 "the sender did not allow publication (can_be_published=false); the request "
                 "cannot be published"});
            return attempt;
        }
        if (target == ModerationState::pending && current.state != ModerationState::published) {
            attempt.answer = Outcome<ServiceRequest>::refused(
                {ErrorCode::conflict, "only a published request can be unpublished"});
            return attempt;
        }
        ServiceRequest after = current;
        after.state = target;
        after.reject_reason = target == ModerationState::rejected ? reason : std::string();
        after.updated_at = at;
        ordered_json before_fields{{"state", to_string(current.state)}};
        ordered_json after_fields{{"state", to_string(target)}};
        if (after.reject_reason != current.reject_reason) {
            before_fields["reject_reason"] = current.reject_reason;
            after_fields["reject_reason"] = after.reject_reason;
        }
        RequestChange change;
        change.request_id = id;
        change.expected_version = current.version;
        change.after = std::move(after);
        change.audit.push_back(audit_line(at,
                                          actor,
                                          moderation_action(target),
                                          id,
                                          "",
                                          std::move(before_fields),
                                          std::move(after_fields)));
        attempt.change = std::move(change);
        return attempt;
    });
    if (outcome.ok()) {
        auto& m = telemetry::process_metrics();
        (target == ModerationState::published  ? m.requests_published
         : target == ModerationState::rejected ? m.requests_rejected
                                               : m.requests_unpublished)
            .add();
        spdlog::info("moderation: request {} is now {} (by key '{}')",
                     id,
                     to_string(target),
                     loggable_actor(actor));
    }
    return outcome;
}

Outcome<ServiceRequest> CaseWorkflow::edit(const std::string& id,
                                           const RequestEdit& edit,
                                           std::optional<std::int64_t> precondition,
                                           const std::string& actor) {
    bool written = false;
    bool closed = false;  // open → closed by the change that committed
    auto outcome = commit(id, precondition, [&](const ServiceRequest& current, Timestamp at) {
        Attempt attempt;
        std::vector<ApiError> errors;
        auto result = apply_request_edit(current, edit, at, errors);
        if (!errors.empty()) {
            attempt.answer = Outcome<ServiceRequest>::refused(std::move(errors));
            return attempt;
        }
        if (!result.changed) {
            return attempt;  // nothing to write: the request as it is
        }
        RequestChange change;
        change.request_id = id;
        change.expected_version = current.version;
        change.audit.push_back(audit_line(at,
                                          actor,
                                          "request.edit",
                                          id,
                                          "",
                                          std::move(result.before_fields),
                                          std::move(result.after_fields)));
        if (result.status_changed) {
            change.new_updates.push_back(staff_update_for(result.after, edit, actor, at));
        }
        notify_.on_status_change(current, result.after, at, change);
        closed = current.status == "open" && result.after.status == "closed";
        change.after = std::move(result.after);
        attempt.change = std::move(change);
        written = true;
        return attempt;
    });
    if (outcome.ok() && written && closed) {
        telemetry::process_metrics().requests_closed.add();
    }
    if (outcome.ok() && written) {
        spdlog::info("case: request {} edited by key '{}'", id, loggable_actor(actor));
    }
    return outcome;
}

}  // namespace open311::workflow
