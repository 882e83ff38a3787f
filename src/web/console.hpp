#pragma once

#include "api/core/http_types.hpp"
#include "api/core/shared.hpp"
#include "form/params.hpp"
#include "web/session.hpp"
#include "web/view.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace open311::web {

/// The staff console: server-rendered pages under /staff/ (issue 14). Every change of a case
/// goes through the CaseWorkflow with the signed-in user as the actor; every form carries the
/// session's CSRF token. Thread-safe and const, like the API's handler groups.
class Console final {
public:
    explicit Console(api::Shared& shared);

    /// Whether `path` is the console's ("/staff" or below).
    static bool owns(std::string_view path);
    /// Answers a request for a console path (already percent-decoded, without the query).
    api::HttpResponse handle(const api::HttpRequest& request,
                             const std::string& path,
                             const form::Params& query) const;

private:
    /// One console request: who, what was sent, and the path's segments after /staff/.
    struct Call {
        const api::HttpRequest& http;
        const form::Params& query;
        form::Params form;
        std::vector<std::string> segments;
        Visitor visitor;
    };

    api::HttpResponse route(const api::HttpRequest& request,
                            const std::string& path,
                            const form::Params& query) const;
    api::HttpResponse signed_in(Call& call) const;

    // Pages (login.cpp, queue.cpp, request_page.cpp, updates.cpp)
    api::HttpResponse login_form(const api::HttpRequest& request,
                                 int status,
                                 const std::string& error_key,
                                 const std::string& username) const;
    api::HttpResponse login(const api::HttpRequest& request) const;
    api::HttpResponse logout(Call& call) const;
    api::HttpResponse settings(Call& call) const;
    api::HttpResponse save_settings(Call& call) const;
    api::HttpResponse queue(Call& call) const;
    api::HttpResponse queue_csv(Call& call) const;
    api::HttpResponse bulk_moderate(Call& call) const;
    api::HttpResponse request_page(Call& call,
                                   const std::string& id,
                                   int status = 200,
                                   const std::string& error = {},
                                   const std::string& flash = {}) const;
    api::HttpResponse request_action(Call& call,
                                     const std::string& id,
                                     const std::string& action) const;
    /// After a successful action on request `id`: 303 to its page with the "done" message,
    /// or for htmx that page's view at once.
    api::HttpResponse done(Call& call, const std::string& id, const std::string& action) const;
    api::HttpResponse save_status(Call& call, const std::string& id) const;
    api::HttpResponse remove_photo(Call& call,
                                   const std::string& id,
                                   const std::string& name) const;
    api::HttpResponse photo(Call& call, const std::string& name) const;
    api::HttpResponse resend_email(Call& call, const std::string& id, const std::string& seq) const;
    /// The pending updates; `done` and `refused` describe the action just taken.
    api::HttpResponse updates(Call& call, const std::string& done = {}, int refused = 0) const;
    api::HttpResponse bulk_updates(Call& call) const;
    api::HttpResponse dashboard(Call& call) const;
    // Admin pages (admin_users.cpp, admin_keys.cpp, admin_catalogue.cpp)
    api::HttpResponse admin_users(Call& call,
                                  int status = 200,
                                  const std::string& error = {}) const;
    api::HttpResponse admin_user_action(Call& call,
                                        const std::string& name,
                                        const std::string& action) const;
    /// The keys with their usage; `created` ({name, secret}) shows a new key's secret once.
    api::HttpResponse admin_keys(Call& call,
                                 int status = 200,
                                 const std::string& error = {},
                                 const Json& created = {}) const;
    api::HttpResponse admin_key_action(Call& call,
                                       const std::string& name,
                                       const std::string& action) const;
    api::HttpResponse admin_services(Call& call,
                                     int status = 200,
                                     const std::string& error = {}) const;
    api::HttpResponse admin_service_create(Call& call) const;
    api::HttpResponse admin_service(Call& call,
                                    const std::string& code,
                                    int status = 200,
                                    const std::string& error = {}) const;
    api::HttpResponse admin_service_action(Call& call,
                                           const std::string& code,
                                           const std::string& action) const;

    /// The model every signed-in page starts from: texts, user, CSRF token, navigation.
    Json frame(const Call& call, const std::string& title_key, const std::string& nav) const;
    /// A page with one message (403, 404, 409 …) in the visitor's language.
    api::HttpResponse refusal(const Call& call, int status, const std::string& message_key) const;

    api::Shared& s_;
    SessionGuard sessions_;
    View view_;
};

}  // namespace open311::web
