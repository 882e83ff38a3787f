// Admin pages: staff users (issue 14, page 5: create, disable, reset password). The route
// table in console.cpp lets only the admin role here.
#include "format/datetime.hpp"
#include "web/console.hpp"
#include "workflow/users.hpp"

namespace open311::web {

api::HttpResponse Console::admin_users(Call& call, int status, const std::string& error) const {
    auto m = frame(call, "users", "users");
    Json users = Json::array();
    for (const auto& u : s_.store.list_users()) {
        users.push_back({{"name", u.name},
                         {"role", to_string(u.role)},
                         {"disabled", u.disabled_at.has_value()},
                         {"created", format::to_w3c(u.created_at)},
                         {"self", u.name == call.visitor.user.name},
                         {"csrf", call.visitor.session.csrf_token}});
    }
    m["users"] = std::move(users);
    if (!error.empty()) {
        m["error"] = error;
    } else if (call.query.has("done")) {
        m["flash"] = m["t"]["done_save"];
    }
    return view_.page(status, "admin_users", std::move(m));
}

api::HttpResponse Console::admin_user_action(Call& call,
                                             const std::string& name,
                                             const std::string& action) const {
    const auto& actor = call.visitor.user.name;
    workflow::Outcome<StaffUser> outcome;
    if (action == "create") {
        const auto role = role_from(call.form.get("role").value_or("")).value_or(Role::client);
        outcome = workflow::create_user(s_.store,
                                        call.form.get("name").value_or(""),
                                        role,
                                        call.form.get("password").value_or(""),
                                        actor);
    } else if (action == "disable") {
        if (name == actor) {
            // An admin locked out by their own hand might leave nobody to undo it.
            return admin_users(call, 409, "name: you cannot disable yourself");
        }
        outcome = workflow::disable_user(s_.store, name, actor);
    } else {
        outcome = workflow::set_user_password(
            s_.store, name, call.form.get("password").value_or(""), actor);
    }
    if (!outcome.ok()) {
        std::string text;
        for (const auto& e : outcome.errors) {
            text += (text.empty() ? "" : " ") + e.description;
        }
        return admin_users(call, http_status(outcome.errors.front().code), text);
    }
    return View::redirect("/staff/admin/users?done=1");
}

}  // namespace open311::web
