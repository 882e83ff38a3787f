// Console sessions and sign-in (issue 14, "Security"): cookies HttpOnly, SameSite=Strict and
// Secure under TLS; idle timeout and absolute lifetime; throttling per account and address.
#include "web/session.hpp"

#include "util/password.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "web/view.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>

namespace open311::web {

namespace {

/// A session's last activity is written at most this often (a page view reads the session;
/// it writes only when the recorded activity is older than this).
constexpr Timestamp kTouchEverySeconds = 60;

std::string account_key(const std::string& name) {
    return "user:" + to_lower(name);
}

std::string address_key(const std::string& address) {
    return "addr:" + address;
}

}  // namespace

bool same_secret(std::string_view a, std::string_view b) {
    return a.size() == b.size() && !a.empty() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

SessionGuard::SessionGuard(const Config& config, Store& store)
    : config_(config),
      store_(store),
      secure_(!config.tls_certificate.empty() || config.public_url.rfind("https://", 0) == 0) {}

std::string SessionGuard::cookie(const api::HttpRequest& request, std::string_view name) {
    std::string_view header = request.cookie;
    while (!header.empty()) {
        auto end = header.find(';');
        auto pair = header.substr(0, end);
        header = end == std::string_view::npos ? std::string_view() : header.substr(end + 1);
        while (!pair.empty() && pair.front() == ' ') {
            pair.remove_prefix(1);
        }
        auto eq = pair.find('=');
        if (eq != std::string_view::npos && pair.substr(0, eq) == name) {
            return std::string(pair.substr(eq + 1));
        }
    }
    return "";
}

std::string SessionGuard::cookie_header(std::string_view name,
                                        const std::string& value,
                                        bool clear) const {
    std::string c = std::string(name) + "=" + value + "; Path=/staff; HttpOnly; SameSite=Strict";
    if (clear) {
        c += "; Max-Age=0";
    }
    if (secure_) {
        c += "; Secure";
    }
    return c;
}

std::optional<Visitor> SessionGuard::visitor(const api::HttpRequest& request) const {
    const auto token = cookie(request, kSessionCookie);
    if (token.empty() || token.size() > 128) {
        return std::nullopt;
    }
    const auto hash = sha256_hex(token);
    auto session = store_.find_session(hash);
    if (!session) {
        return std::nullopt;
    }
    const Timestamp t = now();
    if (t - session->last_seen_at >= config_.console.idle_timeout.count() ||
        t - session->created_at >= config_.console.session_lifetime.count()) {
        store_.delete_session(hash);
        return std::nullopt;
    }
    auto user = store_.find_user(session->user_name);
    if (!user || user->disabled_at) {
        store_.delete_session(hash);
        return std::nullopt;
    }
    if (t - session->last_seen_at >= kTouchEverySeconds) {
        store_.touch_session(hash, t);
        session->last_seen_at = t;
    }
    Visitor v;
    v.language = pick_language(user->language, request.accept_language);
    v.user = std::move(*user);
    v.session = std::move(*session);
    return v;
}

SignIn SessionGuard::sign_in(const std::string& name,
                             const std::string& password,
                             const std::string& address,
                             std::string& set_cookie) const {
    const auto& console = config_.console;
    const Timestamp t = now();
    const Timestamp since = t - console.login_window.count();
    // Checked before the password: a throttled guess is not even tried.
    if (store_.count_login_failures(account_key(name), since) >=
            console.login_failures_per_account ||
        store_.count_login_failures(address_key(address), since) >=
            console.login_failures_per_address) {
        return SignIn::throttled;
    }
    auto user = name.size() <= 64 ? store_.find_user(name) : std::nullopt;
    const bool usable = user && !user->disabled_at;
    // An unknown name costs a hash too, so timing does not tell which names exist.
    const bool match = verify_password(password.substr(0, 1024),
                                       usable ? user->password_hash : decoy_password_hash());
    if (!usable || !match) {
        store_.record_login_failure(account_key(name), t);
        store_.record_login_failure(address_key(address), t);
        store_.purge_login_failures(t - 24 * 3600);
        return SignIn::wrong;
    }
    store_.clear_login_failures(account_key(name));
    store_.purge_sessions(t - console.idle_timeout.count(), t - console.session_lifetime.count());
    const auto token = random_id(40);
    StaffSession session{sha256_hex(token), user->name, random_id(32), t, t};
    store_.insert_session(session);
    set_cookie = cookie_header(kSessionCookie, token, false);
    spdlog::info("console: a user signed in");  // no name: it may be an e-mail address
    return SignIn::ok;
}

std::string SessionGuard::sign_out(const Visitor& visitor) const {
    store_.delete_session(visitor.session.token_hash);
    spdlog::info("console: a user signed out");
    return cookie_header(kSessionCookie, "", true);
}

bool SessionGuard::csrf_ok(const Visitor& visitor, const form::Params& form) {
    return same_secret(form.get("csrf").value_or(""), visitor.session.csrf_token);
}

std::string SessionGuard::login_token(std::string& set_cookie) const {
    auto token = random_id(32);
    set_cookie = cookie_header(kLoginCookie, token, false);
    return token;
}

bool SessionGuard::login_token_ok(const api::HttpRequest& request, const form::Params& form) {
    return same_secret(form.get("csrf").value_or(""), cookie(request, kLoginCookie));
}

}  // namespace open311::web
