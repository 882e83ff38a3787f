// Staff API (admin role): API keys. The secret is answered once, on creation, and is never
// stored, listed, logged or written to the audit trail; only its hash and a short prefix are kept.
#include "api/guard/auth.hpp"
#include "api/handlers.hpp"
#include "form/params.hpp"
#include "format/datetime.hpp"
#include "util/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace open311::api {

namespace {

using nlohmann::ordered_json;

constexpr std::size_t kMaxNameLength = 100;

/// A key as listed: everything but the secret and its hash.
ordered_json key_json(const ApiKey& key, Timestamp at) {
    const bool expired = key.expires_at && at >= *key.expires_at;
    ordered_json o;
    o["name"] = key.name;
    o["role"] = to_string(key.role);
    o["prefix"] = key.prefix;
    o["created"] = format::to_w3c(key.created_at);
    o["expires"] = key.expires_at ? ordered_json(format::to_w3c(*key.expires_at)) : nullptr;
    o["revoked"] = key.revoked_at ? ordered_json(format::to_w3c(*key.revoked_at)) : nullptr;
    o["state"] = key.revoked_at ? "revoked" : (expired ? "expired" : "active");
    return o;
}

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
        auto length = utf8_length(key.name);
        // Names appear in log lines and headers: no line breaks or other control characters.
        const bool control =
            contains_control(key.name) || std::any_of(key.name.begin(), key.name.end(), [](char c) {
                return static_cast<unsigned char>(c) < 0x20;
            });
        if (!length || *length == 0 || *length > kMaxNameLength || control ||
            key.name.find('/') != std::string::npos || trim(key.name) != key.name) {
            errors.push_back(
                field_error("name",
                            "expected 1 to 100 characters without '/', control characters "
                            "or surrounding spaces"));
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

std::optional<ApiKey> find_key(Store& store, const std::string& name) {
    for (auto& k : store.list_keys()) {
        if (k.name == name) {
            return std::move(k);
        }
    }
    return std::nullopt;
}

}  // namespace

HttpResponse Handlers::admin_list_keys(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_admin(ctx, who)) {
        return *denied;
    }
    const Timestamp at = now();
    auto list = ordered_json::array();
    for (const auto& k : store_.list_keys()) {
        list.push_back(key_json(k, at));
    }
    return respond_.json({{"keys", std::move(list)}});
}

HttpResponse Handlers::admin_create_key(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_admin(ctx, who)) {
        return *denied;
    }
    auto body = nlohmann::json::parse(ctx.http.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return respond_.error(
            format::Format::json,
            field_error("body",
                        "expected a JSON object {\"name\": …, \"role\": …, \"expires\": …}"));
    }
    ApiKey key;
    std::vector<ApiError> errors;
    read_new_key(body, now(), key, errors);
    if (!errors.empty()) {
        return respond_.errors(format::Format::json, errors);
    }
    auto minted = mint_key(key);
    auto listed = key_json(key, key.created_at);
    const AuditEntry audit{0,
                           key.created_at,
                           who,
                           "key.create",
                           "",
                           key.name,
                           ordered_json{{"before", nullptr}, {"after", listed}}.dump()};
    if (!store_.insert_key_audited(key, minted.hash, audit)) {
        return respond_.error(format::Format::json,
                              {ErrorCode::conflict,
                               "name: a key named '" + key.name +
                                   "' already exists (names of revoked keys are not reused)"});
    }
    spdlog::info("keys: {} key '{}' created by key '{}'", to_string(key.role), key.name, who);
    listed["secret"] = std::move(minted.secret);
    auto response = respond_.json(listed, 201);
    response.headers.emplace_back("Location", "/admin/v1/keys/" + percent_encode(key.name));
    response.headers.emplace_back("Cache-Control", "no-store");
    return response;
}

HttpResponse Handlers::admin_revoke_key(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_admin(ctx, who)) {
        return *denied;
    }
    const auto& name = ctx.path.at("name");
    auto key = find_key(store_, name);
    if (!key) {
        return respond_.error(format::Format::json,
                              {ErrorCode::not_found, "no key '" + name + "'"});
    }
    if (name == who) {
        // Revoking the key in hand would lock its holder out mid-session, possibly with no
        // admin key left; another admin key or the `keys revoke` command does it deliberately.
        return respond_.error(format::Format::json,
                              {ErrorCode::conflict,
                               "a key cannot revoke itself; use another admin key or "
                               "`open311d keys revoke`"});
    }
    const Timestamp at = now();
    if (!key->revoked_at) {
        auto before = key_json(*key, at);
        ApiKey revoked = *key;
        revoked.revoked_at = at;
        const AuditEntry audit{
            0,
            at,
            who,
            "key.revoke",
            "",
            name,
            ordered_json{{"before", std::move(before)}, {"after", key_json(revoked, at)}}.dump()};
        if (store_.revoke_key_audited(name, at, audit)) {
            spdlog::info("keys: key '{}' revoked by key '{}'", name, who);
        }
        // When it fails, another admin revoked it in between: the answer is the same.
        key = find_key(store_, name);
        if (!key) {
            return respond_.error(format::Format::json,
                                  {ErrorCode::not_found, "no key '" + name + "'"});
        }
    }
    return respond_.json(key_json(*key, at));
}

}  // namespace open311::api
