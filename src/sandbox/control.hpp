#pragma once

#include "api/core/context.hpp"
#include "api/core/router.hpp"
#include "api/extension.hpp"
#include "media/storage.hpp"
#include "sandbox/clock.hpp"
#include "sandbox/faults.hpp"
#include "sandbox/journal.hpp"
#include "workflow/cases.hpp"

#include "open311/config.hpp"

#include <memory>

namespace open311::store {
class SqliteStore;
struct Snapshot;
}  // namespace open311::store

namespace open311::sandbox {

/// The control API under /__sandbox/ (JSON), the injected faults and the request journal:
/// what `open311d sandbox` adds around the API so that a client's tests can drive the server.
/// Staff-like changes go through the case workflow, as the staff API's do.
class Control final : public api::Extension {
public:
    static constexpr std::string_view kPrefix = "/__sandbox";
    /// The actor the audit trail names for changes made through the control API.
    static constexpr std::string_view kActor = "sandbox";

    Control(const Config& config,
            store::SqliteStore& store,
            std::shared_ptr<const store::Snapshot> seed_state,
            SandboxClock& clock);

    std::optional<api::HttpResponse> intercept(const api::HttpRequest& request) override;
    void observe(const api::HttpRequest& request,
                 const api::HttpResponse& response,
                 std::chrono::microseconds took) override;

private:
    api::HttpResponse control(const api::HttpRequest& request, std::string path);
    std::optional<api::HttpResponse> fault(const api::HttpRequest& request);

    api::HttpResponse reset(const api::RequestContext& ctx);
    api::HttpResponse get_clock(const api::RequestContext& ctx);
    api::HttpResponse set_clock(const api::RequestContext& ctx);
    api::HttpResponse transition(const api::RequestContext& ctx);
    api::HttpResponse resolve_token(const api::RequestContext& ctx);
    api::HttpResponse journal(const api::RequestContext& ctx);
    api::HttpResponse list_faults(const api::RequestContext& ctx);
    api::HttpResponse add_fault(const api::RequestContext& ctx);
    api::HttpResponse clear_faults(const api::RequestContext& ctx);

    const Config& config_;
    store::SqliteStore& store_;
    std::shared_ptr<const store::Snapshot> seed_state_;
    SandboxClock& clock_;
    api::Responder respond_;
    std::unique_ptr<media::MediaStorage> media_;
    workflow::CaseWorkflow cases_;
    api::Router routes_;
    Faults faults_;
    Journal journal_;
};

}  // namespace open311::sandbox
