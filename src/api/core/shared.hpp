#pragma once

#include "api/core/context.hpp"
#include "api/core/media_links.hpp"
#include "api/core/metrics_report.hpp"
#include "api/guard/abuse_control.hpp"
#include "media/storage.hpp"
#include "workflow/cases.hpp"

#include "open311/config.hpp"
#include "open311/store/store.hpp"

#include <memory>

namespace open311::api {

/// What the handler groups share, built once per server by `Api`: the configuration and the
/// store, the responder, abuse control, the media storage and its public links, and the case
/// workflow that every change of a case goes through.
struct Shared {
    Shared(const Config& c, Store& s)
        : config(c),
          store(s),
          respond(c),
          abuse(c, s),
          media(media::make_storage(c)),
          links(c),
          cases(c, s, *media) {}
    Shared(const Shared&) = delete;
    Shared& operator=(const Shared&) = delete;

    const Config& config;
    Store& store;
    Responder respond;
    AbuseControl abuse;
    std::unique_ptr<media::MediaStorage> media;
    MediaLinks links;
    workflow::CaseWorkflow cases;
    /// GET /metrics: the HTTP counters the transport records into, and the report.
    MetricsReport metrics;
};

}  // namespace open311::api
