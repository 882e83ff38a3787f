// Sign-in, sign-out and the user's own settings (issue 14, "Accounts" and "Languages").
#include "util/ip_range.hpp"
#include "web/console.hpp"

#include <algorithm>

namespace open311::web {

api::HttpResponse Console::login_form(const api::HttpRequest& request,
                                      int status,
                                      const std::string& error_key,
                                      const std::string& username) const {
    Json m;
    const auto& t = messages(pick_language("", request.accept_language));
    m["t"] = t;
    m["title"] = t["sign_in"];
    std::string set_cookie;
    m["login_csrf"] = sessions_.login_token(set_cookie);
    m["username"] = username;
    if (!error_key.empty()) {
        m["error"] = t.value(error_key, error_key);
    }
    auto r = view_.page(status, "login", std::move(m));
    r.headers.emplace_back("Set-Cookie", set_cookie);
    return r;
}

api::HttpResponse Console::login(const api::HttpRequest& request) const {
    const auto form = form::parse_form(request.body);
    if (!SessionGuard::login_token_ok(request, form)) {
        return login_form(request, 403, "csrf_failed", "");
    }
    const auto name = form.get("username").value_or("");
    const auto password = form.get("password").value_or("");
    std::string set_cookie;
    // Behind the city's proxy every peer is the proxy: the address is the one it forwards.
    const auto address =
        client_ip(request.client_address, request.forwarded_for, s_.abuse.trusted_proxies);
    switch (sessions_.sign_in(name, password, address, set_cookie)) {
        case SignIn::ok: {
            auto r = View::redirect("/staff/");
            r.headers.emplace_back("Set-Cookie", set_cookie);
            return r;
        }
        case SignIn::throttled: {
            auto r = login_form(request, 429, "login_throttled", name);
            r.headers.emplace_back("Retry-After",
                                   std::to_string(s_.config.console.login_window.count()));
            return r;
        }
        case SignIn::wrong:
            break;
    }
    // 200, not 401: a form page, not an HTTP authentication challenge.
    return login_form(request, 200, "login_failed", name);
}

api::HttpResponse Console::logout(Call& call) const {
    auto r = View::redirect("/staff/login");
    r.headers.emplace_back("Set-Cookie", sessions_.sign_out(call.visitor));
    return r;
}

api::HttpResponse Console::settings(Call& call) const {
    auto m = frame(call, "settings", "settings");
    Json languages = Json::array();
    languages.push_back({{"code", ""},
                         {"name", m["t"]["language_browser"]},
                         {"selected", call.visitor.user.language.empty()}});
    const std::pair<const char*, const char*> names[] = {
        {"en", "English"}, {"fi", "suomi"}, {"sv", "svenska"}};
    for (const auto& [code, name] : names) {
        languages.push_back(
            {{"code", code}, {"name", name}, {"selected", call.visitor.user.language == code}});
    }
    m["languages"] = std::move(languages);
    if (call.query.has("saved")) {
        m["flash"] = m["t"]["done_save"];
    }
    return view_.page(200, "settings", std::move(m));
}

api::HttpResponse Console::save_settings(Call& call) const {
    auto language = call.form.get("language").value_or("");
    if (std::find(std::begin(kLanguages), std::end(kLanguages), language) == std::end(kLanguages)) {
        language.clear();  // anything else: follow the browser
    }
    s_.store.set_user_language(call.visitor.user.name, language);
    return View::redirect("/staff/settings?saved=1");
}

}  // namespace open311::web
