#pragma once

#include "media/storage.hpp"
#include "workflow/notify.hpp"
#include "workflow/outcome.hpp"

#include "open311/config.hpp"
#include "open311/store/store.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace open311::workflow {

/// The case rules: every change staff or clients make to a request after it was submitted
/// goes through here, whatever the door (staff API, staff console, sandbox). Each action
/// commits its change, its audit line (naming `actor`, a key or user name) and the e-mail it
/// causes in one store transaction, or nothing. A change computed on a version that moved
/// meanwhile is recomputed on the new one, unless the caller holds a precondition (the version
/// its user saw), which then refuses it as stale. No HTTP types: callers render the outcome.
class CaseWorkflow final {
public:
    CaseWorkflow(const Config& config, Store& store, media::MediaStorage& media);

    /// Makes a pending or rejected request public; refused when its sender did not allow it.
    Outcome<ServiceRequest> publish(const std::string& id, const std::string& actor);
    /// Refuses a request for publication, with a reason kept for staff.
    Outcome<ServiceRequest> reject(const std::string& id,
                                   const std::string& reason,
                                   const std::string& actor);
    /// Takes a published request back to pending.
    Outcome<ServiceRequest> unpublish(const std::string& id, const std::string& actor);

    /// A staff edit (status, detailed status, notes, agency, expected time, texts). A status
    /// change publishes a staff update; closing an open request notifies its submitter.
    /// `precondition`: the version the editor saw (If-Match, or the body's version).
    Outcome<ServiceRequest> edit(const std::string& id,
                                 const RequestEdit& edit,
                                 std::optional<std::int64_t> precondition,
                                 const std::string& actor);

    /// Publishes a client update awaiting moderation; its status takes effect now.
    Outcome<RequestUpdate> publish_update(const std::string& update_id, const std::string& actor);
    /// Refuses a client update awaiting moderation.
    Outcome<RequestUpdate> reject_update(const std::string& update_id, const std::string& actor);

    /// A client's update of a request (FMS servicerequestupdates): stored awaiting moderation
    /// when `moderated`, else published with its status taking effect at once. `update` holds
    /// what the client sent; ids, tokens and times are set here.
    Outcome<RequestUpdate> add_client_update(RequestUpdate update,
                                             const std::string& actor,
                                             bool moderated);

    /// Removes one uploaded photo from a request (privacy): the row first, with its audit line
    /// (holding `reason` when one is given), so nobody can fetch it from then on; then the file.
    Outcome<MediaFile> remove_media(const std::string& request_id,
                                    const std::string& name,
                                    const std::string& actor,
                                    const std::string& reason = {});

private:
    /// What one attempt decides on the current version: a change to commit, or an answer
    /// given without writing anything.
    struct Attempt {
        std::optional<RequestChange> change;
        std::optional<Outcome<ServiceRequest>> answer;
    };
    using Plan = std::function<Attempt(const ServiceRequest& current, Timestamp at)>;

    /// The one retry loop: reads the request, lets `plan` decide, commits with the version
    /// check, and recomputes when another writer got in between (at most a few times).
    Outcome<ServiceRequest> commit(const std::string& id,
                                   std::optional<std::int64_t> precondition,
                                   const Plan& plan);
    Outcome<ServiceRequest> moderate(const std::string& id,
                                     ModerationState target,
                                     const std::string& reason,
                                     const std::string& actor);
    Outcome<RequestUpdate> moderate_update(const std::string& update_id,
                                           ModerationState target,
                                           const std::string& actor);

    Store& store_;
    media::MediaStorage& media_;
    Notifier notify_;
};

}  // namespace open311::workflow
