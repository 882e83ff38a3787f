// Citizen updates awaiting moderation (issue 14, page 3): publish or reject each, or in bulk.
#include "format/datetime.hpp"
#include "web/console.hpp"

#include <optional>

namespace open311::web {

api::HttpResponse Console::updates(Call& call, const std::string& done, int refused) const {
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
    if (auto action = done.empty() ? call.query.get("done") : done) {
        m["flash"] = m["t"].value("done_" + *action, "");
    }
    auto refusals =
        refused > 0 ? std::optional(std::to_string(refused)) : call.query.get("refused");
    if (refusals) {
        m["error"] = m["t"]["bulk_refused"].get<std::string>() + " " + *refusals;
    }
    m["own_messages"] = true;  // inside the view, which an htmx answer replaces
    if (call.http.htmx) {
        return view_.fragment(200, {"updates"}, std::move(m));
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
        return call.http.htmx ? updates(call) : View::redirect("/staff/updates");
    }
    if (call.http.htmx) {
        return updates(call, action, refused);  // the list without the handled rows, in place
    }
    return View::redirect("/staff/updates?done=" + action +
                          (refused > 0 ? "&refused=" + std::to_string(refused) : ""));
}

}  // namespace open311::web
