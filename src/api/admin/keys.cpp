// Staff API (admin role): API keys. The secret is answered once, on creation, and is never
// stored, listed, logged or written to the audit trail; only its hash and a short prefix are kept.
#include "workflow/keys.hpp"

#include "api/admin/handlers.hpp"
#include "form/params.hpp"
#include "format/datetime.hpp"
#include "format/staff_trees.hpp"
#include "util/text.hpp"

#include <algorithm>

namespace open311::api {

namespace {

/// Validates a POST /admin/v1/keys body into `key`; every problem is added to `errors`.
void read_new_key(const nlohmann::json& body,
                  Timestamp at,
                  ApiKey& key,
                  std::vector<ApiError>& errors) {
    for (const auto& [field, value] : body.items()) {
        if (field != "name" && field != "role" && field != "expires") {
            errors.push_back(field_error(field, "unknown field; expected name, role and expires"));
        }
    }
    if (!body.contains("name") || !body["name"].is_string()) {
        errors.push_back(field_error("name", "required, a string"));
    } else {
        key.name = body["name"].get<std::string>();
        if (auto problem = workflow::key_name_problem(key.name)) {
            errors.push_back(field_error("name", *problem));
        }
    }
    std::optional<Role> role;
    if (body.contains("role") && body["role"].is_string()) {
        role = role_from(body["role"].get<std::string>());
    }
    if (!role) {
        errors.push_back(field_error("role", "required: client, staff or admin"));
    } else {
        key.role = *role;
    }
    if (body.contains("expires") && !body["expires"].is_null()) {
        std::optional<Timestamp> expires;
        if (body["expires"].is_string()) {
            const auto text = body["expires"].get<std::string>();
            // A bare date means "valid through that day (UTC)", as with `keys create --expires`.
            expires = text.size() == 10 ? format::end_of_day(text) : format::parse_w3c(text);
        }
        if (!expires) {
            errors.push_back(
                field_error("expires",
                            "expected a W3C datetime with offset (2027-01-31T23:59:59Z), "
                            "a date (2027-01-31) or null"));
        } else if (*expires <= at) {
            errors.push_back(field_error("expires", "must be in the future"));
        } else {
            key.expires_at = expires;
        }
    }
}

}  // namespace

HttpResponse StaffHandlers::list_keys(const RequestContext& /*ctx*/) const {
    return s_.respond.json(format::staff_key_list(s_.store.list_keys(), now()));
}

HttpResponse StaffHandlers::create_key(const RequestContext& ctx) const {
    auto body = nlohmann::json::parse(ctx.http.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return s_.respond.error(
            format::Format::json,
            field_error("body",
                        "expected a JSON object {\"name\": …, \"role\": …, \"expires\": …}"));
    }
    ApiKey key;
    std::vector<ApiError> errors;
    read_new_key(body, now(), key, errors);
    if (!errors.empty()) {
        return s_.respond.errors(format::Format::json, errors);
    }
    auto outcome = workflow::create_key(s_.store, key, ctx.actor);
    if (!outcome.ok()) {
        return s_.respond.errors(format::Format::json, outcome.errors);
    }
    auto listed = format::staff_key(key, key.created_at);
    listed["secret"] = std::move(*outcome.value);
    auto response = s_.respond.json(listed, 201);
    response.headers.emplace_back("Location", "/admin/v1/keys/" + form::percent_encode(key.name));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

HttpResponse StaffHandlers::revoke_key(const RequestContext& ctx) const {
    auto outcome = workflow::revoke_key(s_.store, ctx.path.at("name"), ctx.actor);
    if (!outcome.ok()) {
        return s_.respond.errors(format::Format::json, outcome.errors);
    }
    return s_.respond.json(format::staff_key(*outcome.value, now()));
}

}  // namespace open311::api
