#pragma once

#include "api/core/http_types.hpp"
#include "form/params.hpp"

#include "open311/config.hpp"
#include "open311/domain/staff_user.hpp"
#include "open311/store/store.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace open311::web {

/// The signed-in person a request comes from.
struct Visitor {
    StaffUser user;
    StaffSession session;
    std::string language;
};

/// What a sign-in attempt came to.
enum class SignIn { ok, wrong, throttled };

/// Console sessions: the cookie, its lifetimes, sign-in with throttling, and the CSRF token
/// every form carries. The browser holds a random token; the store holds its SHA-256, so a
/// copy of the database opens no session.
class SessionGuard final {
public:
    SessionGuard(const Config& config, Store& store);

    /// The visitor of a valid session (not idle too long, not too old, user enabled); an
    /// expired session is deleted on the way.
    std::optional<Visitor> visitor(const api::HttpRequest& request) const;

    /// Checks a user name and password from `address`, counting failures per account and per
    /// address. On success the new session's cookie is in `set_cookie`.
    SignIn sign_in(const std::string& name,
                   const std::string& password,
                   const std::string& address,
                   std::string& set_cookie) const;
    /// Ends the visitor's session; returns the Set-Cookie that clears the cookie.
    std::string sign_out(const Visitor& visitor) const;

    /// Whether `form` carries the session's CSRF token.
    static bool csrf_ok(const Visitor& visitor, const form::Params& form);

    /// A fresh token for the sign-in form, and the Set-Cookie that pairs it with the browser
    /// (double submit: the sign-in form has no session yet).
    std::string login_token(std::string& set_cookie) const;
    /// Whether the sign-in form's token matches its cookie.
    static bool login_token_ok(const api::HttpRequest& request, const form::Params& form);

    /// The value of cookie `name` in the request, or "".
    static std::string cookie(const api::HttpRequest& request, std::string_view name);

    static constexpr std::string_view kSessionCookie = "open311_session";
    static constexpr std::string_view kLoginCookie = "open311_login";

private:
    std::string cookie_header(std::string_view name, const std::string& value, bool clear) const;

    const Config& config_;
    Store& store_;
    bool secure_;
};

/// Constant-time comparison of two secrets.
bool same_secret(std::string_view a, std::string_view b);

}  // namespace open311::web
