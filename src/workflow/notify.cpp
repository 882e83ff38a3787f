// The notification rules of case handling (docs/case-handling.md, "E-mail to the submitter").
#include "workflow/notify.hpp"

#include "store/catalogue_view.hpp"

#include <spdlog/spdlog.h>

namespace open311::workflow {

Notifier::Notifier(const Config& config, Store& store)
    : config_(config),
      store_(store),
      templates_(mail::Templates::load(config.mail_templates_dir)) {}

void Notifier::on_status_change(const ServiceRequest& before,
                                const ServiceRequest& after,
                                Timestamp at,
                                RequestChange& change) const {
    if (before.status == "open" && after.status == "closed") {
        if (auto n = processed(after, at)) {
            change.notifications.push_back(std::move(*n));
        }
    }
}

std::optional<Notification> Notifier::processed(const ServiceRequest& request, Timestamp at) const {
    if (request.submitter.email.empty()) {
        return std::nullopt;
    }
    const auto& locale =
        request.submitter.locale.empty() ? config_.default_locale : request.submitter.locale;
    const CatalogueView catalogue(store_);
    auto message = templates_.render(
        "request-processed",
        locale,
        config_.default_locale,
        {{"service_request_id", request.id},
         {"title", request.title},
         {"service_name", catalogue.name(request.service_code, locale, config_.default_locale)},
         {"status_notes", request.status_notes},
         {"detailed_status", request.detailed_status}});
    if (!message) {
        spdlog::warn("case: no 'request-processed' template; request {} not notified", request.id);
        return std::nullopt;
    }
    Notification n;
    n.request_id = request.id;
    n.kind = "request-processed";
    n.recipient = request.submitter.email;
    n.subject = std::move(message->subject);
    n.body = std::move(message->body);
    n.created_at = at;
    n.next_attempt_at = at;
    return n;
}

}  // namespace open311::workflow
