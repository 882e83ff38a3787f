// Service request updates: a client's update (published at once or held for moderation) and
// the moderation of held ones. A published update moves its request's status.
#include "store/catalogue_view.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "workflow/audit.hpp"
#include "workflow/cases.hpp"
#include "workflow/request_edit.hpp"

#include <spdlog/spdlog.h>

namespace open311::workflow {

namespace {

using nlohmann::ordered_json;

ordered_json status_of(const ServiceRequest& r) {
    return {{"status", r.status}, {"detailed_status", r.detailed_status}};
}

}  // namespace

Outcome<RequestUpdate> CaseWorkflow::publish_update(const std::string& update_id,
                                                    const std::string& actor) {
    return moderate_update(update_id, ModerationState::published, actor);
}

Outcome<RequestUpdate> CaseWorkflow::reject_update(const std::string& update_id,
                                                   const std::string& actor) {
    return moderate_update(update_id, ModerationState::rejected, actor);
}

Outcome<RequestUpdate> CaseWorkflow::moderate_update(const std::string& update_id,
                                                     ModerationState target,
                                                     const std::string& actor) {
    const ApiError unknown{ErrorCode::not_found, "no update '" + update_id + "'"};
    auto held = store_.find_update(update_id);
    if (!held) {
        return Outcome<RequestUpdate>::refused(unknown);
    }
    auto outcome =
        commit(held->request_id, std::nullopt, [&](const ServiceRequest& current, Timestamp at) {
            Attempt attempt;
            // Read again on every attempt: another moderator may have decided meanwhile.
            auto update = store_.find_update(update_id);
            if (!update) {
                attempt.answer = Outcome<ServiceRequest>::refused(unknown);
                return attempt;
            }
            if (update->state != ModerationState::pending) {
                attempt.answer = Outcome<ServiceRequest>::refused(
                    {ErrorCode::conflict,
                     "update '" + update_id + "' is already " + to_string(update->state)});
                return attempt;
            }
            RequestChange change;
            change.request_id = current.id;
            change.update_states.emplace_back(update_id, target);
            ordered_json before{{"state", "pending"}};
            ordered_json after_fields{{"state", to_string(target)}};
            if (target == ModerationState::published) {
                ServiceRequest after = current;
                if (apply_update_status(after, *update, at)) {
                    before["request"] = status_of(current);
                    after_fields["request"] = status_of(after);
                    notify_.on_status_change(current, after, at, change);
                    change.expected_version = current.version;
                    change.after = std::move(after);
                }
            }
            change.audit.push_back(audit_line(
                at,
                actor,
                target == ModerationState::published ? "update.publish" : "update.reject",
                current.id,
                update_id,
                std::move(before),
                std::move(after_fields)));
            attempt.change = std::move(change);
            return attempt;
        });
    if (!outcome.ok()) {
        return Outcome<RequestUpdate>::refused(std::move(outcome.errors));
    }
    auto stored = store_.find_update(update_id);
    return Outcome<RequestUpdate>::done(stored ? std::move(*stored) : std::move(*held));
}

Outcome<RequestUpdate> CaseWorkflow::add_client_update(RequestUpdate update,
                                                       const std::string& actor,
                                                       bool moderated) {
    const ApiError unknown{
        ErrorCode::not_found,
        "service_request_id: no request '" + shorten(update.request_id, 40) + "'"};
    auto outcome =
        commit(update.request_id, std::nullopt, [&](const ServiceRequest& current, Timestamp at) {
            Attempt attempt;
            if (current.state == ModerationState::rejected) {
                attempt.answer = Outcome<ServiceRequest>::refused(unknown);
                return attempt;
            }
            update.id = random_id(20);
            update.at = at;
            update.source = UpdateSource::client;
            update.api_key_name = actor;
            update.state = moderated ? ModerationState::pending : ModerationState::published;
            // As for requests, only batch services answer a token. A moderated update still
            // gets its id at once: FixMyStreet reads a token answer as a *request* token and
            // would post the update again.
            const CatalogueView catalogue(store_);
            const auto* service = catalogue.find(current.service_code);
            const bool batch = service != nullptr && service->type == ServiceType::batch;
            update.token = batch ? random_id(24) : std::string();
            update.detailed_status = current.detailed_status;

            RequestChange change;
            change.request_id = current.id;
            if (!moderated) {
                ServiceRequest after = current;
                if (apply_update_status(after, update, at)) {
                    update.detailed_status = after.detailed_status;
                    change.audit.push_back(audit_line(at,
                                                      actor,
                                                      "update.apply",
                                                      current.id,
                                                      update.id,
                                                      status_of(current),
                                                      status_of(after)));
                    notify_.on_status_change(current, after, at, change);
                    change.expected_version = current.version;
                    change.after = std::move(after);
                }
            }
            change.new_updates.push_back(update);
            attempt.change = std::move(change);
            return attempt;
        });
    if (!outcome.ok()) {
        if (outcome.errors.front().code == ErrorCode::not_found) {
            return Outcome<RequestUpdate>::refused(unknown);
        }
        return Outcome<RequestUpdate>::refused(std::move(outcome.errors));
    }
    spdlog::info("update {} for request {} {} (key '{}')",
                 update.id,
                 update.request_id,
                 moderated ? "awaits moderation" : "published",
                 actor);
    return Outcome<RequestUpdate>::done(std::move(update));
}

Outcome<MediaFile> CaseWorkflow::remove_media(const std::string& request_id,
                                              const std::string& name,
                                              const std::string& actor,
                                              const std::string& reason) {
    const ApiError unknown{ErrorCode::not_found,
                           "request '" + request_id + "' has no media '" + name + "'"};
    if (!media::is_valid_media_name(name)) {
        return Outcome<MediaFile>::refused(unknown);
    }
    auto entry = store_.find_media(name);
    if (!entry || entry->request_id != request_id) {
        return Outcome<MediaFile>::refused(unknown);
    }
    nlohmann::ordered_json after = {{"media", nullptr}};
    if (!reason.empty()) {
        after["reason"] = reason;  // kept for staff, like a rejection's reason
    }
    const auto audit = audit_line(now(),
                                  actor,
                                  "request.media.delete",
                                  request_id,
                                  name,
                                  {{"media",
                                    {{"name", entry->file.name},
                                     {"content_type", entry->file.content_type},
                                     {"size", entry->file.size}}}},
                                  std::move(after));
    // The row goes first, in its own transaction: from then on nobody can fetch the file, even
    // if removing it fails (then it is an unreachable orphan, logged below).
    if (!store_.delete_media(request_id, name, audit)) {
        return Outcome<MediaFile>::refused(unknown);
    }
    if (!media_.remove(name)) {
        spdlog::warn("media {} was unlisted but its file was already gone", name);
    }
    spdlog::info(
        "media: {} removed from request {} (by key '{}')", name, request_id, loggable_actor(actor));
    return Outcome<MediaFile>::done(entry->file);
}

}  // namespace open311::workflow
