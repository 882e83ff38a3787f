// Citizen updates awaiting moderation (issue 14, page 3): publish or reject each, or in bulk.
#include "format/datetime.hpp"
#include "web/console.hpp"

namespace open311::web {

api::HttpResponse Console::updates(Call& call) const {
    auto m = frame(call, "updates", "updates");
    UpdateFilter filter;
    filter.states = {ModerationState::pending};
    filter.limit = 200;
    Json rows = Json::array();
    for (const auto& u : s_.store.search_updates(filter)) {
        rows.push_back({{"id", u.id},
                        {"request_id", u.request_id},
                        {"when", format::to_w3c(u.at)},
                        {"iso", format::to_w3c(u.at)},
                        {"status", u.status},
                        {"description", u.description}});
    }
    m["has_rows"] = !rows.empty();
    m["rows"] = std::move(rows);
    if (auto done = call.query.get("done")) {
        m["flash"] = m["t"].value("done_" + *done, "");
    }
    if (auto refused = call.query.get("refused")) {
        m["error"] = m["t"]["bulk_refused"].get<std::string>() + " " + *refused;
    }
    return view_.page(200, "updates", std::move(m));
}

api::HttpResponse Console::bulk_updates(Call& call) const {
    const auto& actor = call.visitor.user.name;
    // One row's own button, or the bulk buttons over the selected rows.
    std::vector<std::string> ids;
    std::string action;
    if (auto one = call.form.get("publish")) {
        ids = {*one};
        action = "publish";
    } else if (auto one_reject = call.form.get("reject")) {
        ids = {*one_reject};
        action = "reject";
    } else {
        ids = call.form.all("id");
        action = call.form.get("action").value_or("");
    }
    int refused = 0;
    for (const auto& id : ids) {
        if (action == "publish") {
            refused += s_.cases.publish_update(id, actor).ok() ? 0 : 1;
        } else if (action == "reject") {
            refused += s_.cases.reject_update(id, actor).ok() ? 0 : 1;
        }
    }
    if (action != "publish" && action != "reject") {
        return View::redirect("/staff/updates");
    }
    return View::redirect("/staff/updates?done=" + action +
                          (refused > 0 ? "&refused=" + std::to_string(refused) : ""));
}

}  // namespace open311::web
