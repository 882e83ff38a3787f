// The staff console's front: which page a path is, who is signed in, and the CSRF check that
// every POST passes before anything changes.
#include "web/console.hpp"

#include "util/text.hpp"

namespace open311::web {

Console::Console(api::Shared& shared)
    : s_(shared), sessions_(shared.config, shared.store), view_(shared.config) {}

bool Console::owns(std::string_view path) {
    return path == "/staff" || path.rfind("/staff/", 0) == 0;
}

api::HttpResponse Console::handle(const api::HttpRequest& request,
                                  const std::string& path,
                                  const form::Params& query) const {
    auto r = route(request, path, query);
    r.route = "/staff/";  // the access log names the console, never a request id or a name
    return r;
}

api::HttpResponse Console::route(const api::HttpRequest& request,
                                 const std::string& path,
                                 const form::Params& query) const {
    using api::Method;
    const bool get = request.method == Method::get || request.method == Method::head;
    const bool post = request.method == Method::post;
    if (path == "/staff") {
        return View::redirect("/staff/");
    }
    Call call{request, query, {}, split_nonempty(path.substr(7), '/'), {}};
    const auto& seg = call.segments;
    if (!seg.empty() && seg[0] == "assets" && get) {
        auto asset = seg.size() == 2 ? asset_response(seg[1]) : std::nullopt;
        if (!asset) {
            return view_.message(404, {}, "not_found", "not_found");
        }
        view_.secure(*asset);
        return *asset;
    }
    if (seg.size() == 1 && seg[0] == "login") {
        if (get) {
            if (sessions_.visitor(request)) {
                return View::redirect("/staff/");
            }
            return login_form(request, 200, "", "");
        }
        if (post) {
            return login(request);
        }
    }
    if (!get && !post) {
        auto r = view_.message(405, {}, "not_found", "not_found");
        r.headers.emplace_back("Allow", "GET, HEAD, POST");
        return r;
    }
    auto visitor = sessions_.visitor(request);
    if (!visitor) {
        if (get) {
            return View::redirect("/staff/login");
        }
        // A POST without a session has no token to prove; nothing is done.
        return view_.message(403, {}, "forbidden", "csrf_failed");
    }
    call.visitor = std::move(*visitor);
    if (post) {
        call.form = form::parse_form(request.body);
        if (!SessionGuard::csrf_ok(call.visitor, call.form)) {
            return refusal(call, 403, "csrf_failed");
        }
    }
    return signed_in(call);
}

api::HttpResponse Console::signed_in(Call& call) const {
    const auto& seg = call.segments;
    const bool post = call.http.method == api::Method::post;
    const auto n = seg.size();
    const auto at = [&](std::size_t i, const char* name) {
        return n > i && seg[i] == name;
    };
    if (n == 0 || (n == 1 && seg[0].empty())) {
        return post ? refusal(call, 404, "not_found") : queue(call);
    }
    if (n == 1 && at(0, "logout") && post) {
        return logout(call);
    }
    if (n == 1 && at(0, "settings")) {
        return post ? save_settings(call) : settings(call);
    }
    if (n == 1 && at(0, "requests") && !post) {
        return queue(call);
    }
    if (n == 1 && at(0, "requests.csv") && !post) {
        return queue_csv(call);
    }
    if (n == 2 && at(0, "requests") && at(1, "bulk") && post) {
        return bulk_moderate(call);
    }
    if (n == 2 && at(0, "requests") && !post) {
        return request_page(call, seg[1]);
    }
    if (n == 3 && at(0, "requests") && post) {
        const auto& action = seg[2];
        if (action == "publish" || action == "reject" || action == "unpublish") {
            return request_action(call, seg[1], action);
        }
        if (action == "status") {
            return save_status(call, seg[1]);
        }
    }
    if (n == 5 && at(0, "requests") && at(2, "media") && at(4, "remove") && post) {
        return remove_photo(call, seg[1], seg[3]);
    }
    if (n == 5 && at(0, "requests") && at(2, "emails") && at(4, "resend") && post) {
        return resend_email(call, seg[1], seg[3]);
    }
    if (n == 2 && at(0, "media") && !post) {
        return photo(call, seg[1]);
    }
    if (n == 1 && at(0, "dashboard") && !post) {
        return dashboard(call);
    }
    if (n == 1 && at(0, "updates") && !post) {
        return updates(call);
    }
    if (n == 2 && at(0, "updates") && at(1, "bulk") && post) {
        return bulk_updates(call);
    }
    if (n >= 1 && at(0, "admin")) {
        if (call.visitor.user.role != Role::admin) {
            return refusal(call, 403, "forbidden");
        }
        if (n == 2 && at(1, "users")) {
            return post ? admin_user_action(call, "", "create") : admin_users(call);
        }
        if (n == 4 && at(1, "users") && post && (seg[3] == "disable" || seg[3] == "password")) {
            return admin_user_action(call, seg[2], seg[3]);
        }
        if (n == 2 && at(1, "keys")) {
            return post ? admin_key_action(call, "", "create") : admin_keys(call);
        }
        if (n == 4 && at(1, "keys") && post && (seg[3] == "revoke" || seg[3] == "renew")) {
            return admin_key_action(call, seg[2], seg[3]);
        }
        if (n == 2 && at(1, "services")) {
            return post ? admin_service_create(call) : admin_services(call);
        }
        if (n == 3 && at(1, "services")) {
            return post ? admin_service_action(call, seg[2], "save") : admin_service(call, seg[2]);
        }
        if (n == 4 && at(1, "services") && post &&
            (seg[3] == "activate" || seg[3] == "deactivate")) {
            return admin_service_action(call, seg[2], seg[3]);
        }
    }
    return refusal(call, 404, "not_found");
}

Json Console::frame(const Call& call, const std::string& title_key, const std::string& nav) const {
    Json m;
    const auto& t = messages(call.visitor.language);
    m["t"] = t;
    m["title"] = t.value(title_key, title_key);
    m["user"] = call.visitor.user.name;
    m["csrf"] = call.visitor.session.csrf_token;
    m["is_admin"] = call.visitor.user.role == Role::admin;
    if (!nav.empty()) {
        m["nav_" + nav] = true;
    }
    return m;
}

api::HttpResponse Console::refusal(const Call& call, int status, const std::string& key) const {
    const char* heading = status == 403 ? "forbidden" : status == 404 ? "not_found" : "conflict";
    return view_.message(status, frame(call, heading, ""), heading, key);
}

}  // namespace open311::web
