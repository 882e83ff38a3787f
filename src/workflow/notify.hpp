#pragma once

#include "mail/templates.hpp"

#include "open311/config.hpp"
#include "open311/store/store.hpp"

namespace open311::workflow {

/// Decides which e-mails a case change sends and renders them from the templates. The rule
/// lives here only: a request that goes from open to closed sends the "processed" e-mail to
/// its submitter, when one left an address, in the submitter's language.
class Notifier final {
public:
    Notifier(const Config& config, Store& store);

    /// Adds to `change` the messages the move from `before` to `after` causes.
    void on_status_change(const ServiceRequest& before,
                          const ServiceRequest& after,
                          Timestamp at,
                          RequestChange& change) const;

private:
    std::optional<Notification> processed(const ServiceRequest& request, Timestamp at) const;

    const Config& config_;
    Store& store_;
    mail::Templates templates_;
};

}  // namespace open311::workflow
