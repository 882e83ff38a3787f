// Admin pages: API keys (issue 14, page 5: create with the secret shown once, expiry, revoke,
// renew, per-key usage). Every change goes through workflow/keys.cpp, as /admin/v1's does;
// the route table in console.cpp lets only the admin role here.
#include "format/datetime.hpp"
#include "util/text.hpp"
#include "web/console.hpp"
#include "workflow/keys.hpp"

namespace open311::web {

namespace {

constexpr int kUsageDays = 30;

/// The key as a row: state, dates and its usage over the last 30 days.
Json key_row(const ApiKey& key, const std::vector<KeyUsage>& usage, Timestamp at) {
    std::int64_t created = 0;
    std::int64_t rejected = 0;
    std::int64_t limited = 0;
    for (const auto& day : usage) {
        created += day.created;
        rejected += day.rejected;
        limited += day.rate_limited;
    }
    const bool expired = key.expires_at && at >= *key.expires_at;
    const char* state = key.revoked_at ? "revoked" : (expired ? "expired" : "active");
    return {{"name", key.name},
            {"path", form::percent_encode(key.name)},
            {"role", to_string(key.role)},
            {"prefix", key.prefix},
            {"created", format::to_w3c(key.created_at)},
            {"expires",
             key.expires_at ? format::to_w3c(*key.expires_at - 1) : ""},  // last valid second
            {"state", state},
            {"usable", key.revoked_at == std::nullopt},
            {"used_created", std::to_string(created)},
            {"used_rejected", std::to_string(rejected)},
            {"used_limited", std::to_string(limited)}};
}

/// A form's expiry date (YYYY-MM-DD, valid through that day in UTC), or the problem with it.
std::optional<std::string> read_expiry(const form::Params& form, ApiKey& key) {
    const auto text = trim(form.get("expires").value_or(""));
    if (text.empty()) {
        return std::nullopt;  // no expiry
    }
    auto day_end = format::end_of_day(text);
    if (!day_end) {
        return "expires: expected a date YYYY-MM-DD";
    }
    if (*day_end <= now()) {
        return "expires: must be in the future";
    }
    key.expires_at = *day_end;
    return std::nullopt;
}

std::string joined(const std::vector<ApiError>& errors) {
    std::string text;
    for (const auto& e : errors) {
        text += (text.empty() ? "" : " ") + e.description;
    }
    return text;
}

}  // namespace

api::HttpResponse Console::admin_keys(Call& call,
                                      int status,
                                      const std::string& error,
                                      const Json& created) const {
    auto m = frame(call, "api_keys", "keys");
    s_.abuse.usage.flush();  // the figures include the last few seconds
    const auto at = now();
    Json keys = Json::array();
    for (const auto& key : s_.store.list_keys()) {
        auto row = key_row(key, s_.store.key_usage(key.name, kUsageDays), at);
        row["csrf"] = call.visitor.session.csrf_token;
        keys.push_back(std::move(row));
    }
    m["keys"] = std::move(keys);
    if (!created.is_null()) {
        m["created"] = created;
    }
    if (!error.empty()) {
        m["error"] = error;
    } else if (auto done = call.query.get("done")) {
        m["flash"] = m["t"].value("done_" + *done, "");
    }
    return view_.page(status, "admin_keys", std::move(m));
}

api::HttpResponse Console::admin_key_action(Call& call,
                                            const std::string& name,
                                            const std::string& action) const {
    const auto& actor = call.visitor.user.name;
    if (action == "revoke") {
        auto outcome = workflow::revoke_key(s_.store, name, actor);
        if (!outcome.ok()) {
            return admin_keys(
                call, http_status(outcome.errors.front().code), joined(outcome.errors));
        }
        return View::redirect("/staff/admin/keys?done=revoke");
    }
    // Create and renew: a new key whose secret this answer shows, once (no redirect: the
    // page is not cached, and reloading it does not show the secret again).
    ApiKey key;
    key.name = trim(call.form.get("name").value_or(""));
    if (auto problem = workflow::key_name_problem(key.name)) {
        return admin_keys(call, 400, "name: " + *problem);
    }
    if (auto problem = read_expiry(call.form, key)) {
        return admin_keys(call, 400, *problem);
    }
    workflow::Outcome<std::string> outcome;
    if (action == "create") {
        auto role = role_from(call.form.get("role").value_or(""));
        if (!role) {
            return admin_keys(call, 400, "role: expected client, staff or admin");
        }
        key.role = *role;
        outcome = workflow::create_key(s_.store, key, actor);
    } else {
        outcome = workflow::renew_key(s_.store, name, key, actor);
    }
    if (!outcome.ok()) {
        const auto& e = outcome.errors.front();
        if (e.code == ErrorCode::not_found) {
            return refusal(call, 404, "not_found");
        }
        return admin_keys(call, http_status(e.code), joined(outcome.errors));
    }
    return admin_keys(call, 200, {}, Json{{"name", key.name}, {"secret", *outcome.value}});
}

}  // namespace open311::web
