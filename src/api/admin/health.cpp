// Probes for load balancers and orchestrators: /healthz (the process answers) and /readyz
// (it can do its work: the database answers, the media directory takes writes).
#include "api/admin/handlers.hpp"

#include <spdlog/spdlog.h>

namespace open311::api {

HttpResponse StaffHandlers::health(const RequestContext& /*ctx*/) const {
    // Liveness only: a database outage is not a reason to restart the process (/readyz says
    // whether to send it traffic).
    return s_.respond.json({{"status", "ok"}});
}

HttpResponse StaffHandlers::ready(const RequestContext& /*ctx*/) const {
    // The store was migrated when it opened (make_store applies the migrations or refuses a
    // newer schema), so a query that answers means "reachable and migrated".
    std::string database;
    try {
        s_.store.count_services();
    } catch (const StoreError& e) {
        spdlog::warn("readiness: database: {}", e.what());
        database = e.code().message();  // the kind of failure, never a path or a message
    } catch (const std::exception& e) {
        spdlog::warn("readiness: database: {}", e.what());
        database = "database error";
    }
    const std::string media = s_.media->unready_reason();
    const bool ready = database.empty() && media.empty();
    nlohmann::ordered_json body;
    body["status"] = ready ? "ready" : "not ready";
    body["checks"] = {{"database", database.empty() ? "ok" : database},
                      {"media", media.empty() ? "ok" : media}};
    auto r = s_.respond.json(body, ready ? 200 : 503);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace open311::api
