// Staff changes of the API keys, each with its audit line.
#include "workflow/keys.hpp"

#include "format/staff_trees.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "workflow/audit.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace open311::workflow {

namespace {

std::optional<ApiKey> find_key(Store& store, const std::string& name) {
    for (auto& k : store.list_keys()) {
        if (k.name == name) {
            return std::move(k);
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<std::string> key_name_problem(const std::string& name) {
    constexpr std::size_t kMaxNameLength = 100;
    const auto length = utf8_length(name);
    const bool control =
        contains_control(name) || std::any_of(name.begin(), name.end(), [](char c) {
            return static_cast<unsigned char>(c) < 0x20;
        });
    if (!length || *length == 0 || *length > kMaxNameLength || control ||
        name.find('/') != std::string::npos || trim(name) != name) {
        return "expected 1 to 100 characters without '/', control characters or surrounding "
               "spaces";
    }
    return std::nullopt;
}

KeySecret mint_key(ApiKey& key) {
    KeySecret out;
    out.secret = new_key_secret();
    out.hash = sha256_hex(out.secret);
    key.prefix = out.secret.substr(0, 9);  // "o311_" and four characters, to tell keys apart
    key.created_at = now();
    return out;
}

std::optional<std::string> issue_key(Store& store, ApiKey key) {
    auto minted = mint_key(key);
    if (!store.insert_key(key, minted.hash)) {
        return std::nullopt;
    }
    return std::move(minted.secret);
}

namespace {

/// Creates `key` with its audit line; a renewal's line names the key it renews ("renews").
Outcome<std::string> create_audited_key(Store& store,
                                        ApiKey& key,
                                        const std::string& actor,
                                        const std::string& renews) {
    auto minted = mint_key(key);
    auto after = format::staff_key(key, key.created_at);
    if (!renews.empty()) {
        after["renews"] = renews;  // its name; no secret or hash of either key
    }
    const auto audit =
        audit_line(key.created_at, actor, "key.create", "", key.name, nullptr, std::move(after));
    if (!store.insert_key_audited(key, minted.hash, audit)) {
        return Outcome<std::string>::refused(
            {ErrorCode::conflict,
             "name: a key named '" + key.name +
                 "' already exists (names of revoked keys are not reused)"});
    }
    spdlog::info("keys: {} key '{}' created by key '{}'",
                 to_string(key.role),
                 key.name,
                 loggable_actor(actor));
    return Outcome<std::string>::done(std::move(minted.secret));
}

}  // namespace

Outcome<std::string> create_key(Store& store, ApiKey& key, const std::string& actor) {
    return create_audited_key(store, key, actor, "");
}

Outcome<ApiKey> revoke_key(Store& store, const std::string& name, const std::string& actor) {
    const ApiError unknown{ErrorCode::not_found, "no key '" + name + "'"};
    auto key = find_key(store, name);
    if (!key) {
        return Outcome<ApiKey>::refused(unknown);
    }
    if (name == actor) {
        return Outcome<ApiKey>::refused(
            {ErrorCode::conflict,
             "a key cannot revoke itself; use another admin key or `open311d keys revoke`"});
    }
    if (key->revoked_at) {
        return Outcome<ApiKey>::done(std::move(*key));
    }
    const Timestamp at = now();
    ApiKey revoked = *key;
    revoked.revoked_at = at;
    const auto audit = audit_line(at,
                                  actor,
                                  "key.revoke",
                                  "",
                                  name,
                                  format::staff_key(*key, at),
                                  format::staff_key(revoked, at));
    if (store.revoke_key_audited(name, at, audit)) {
        spdlog::info("keys: key '{}' revoked by key '{}'", name, loggable_actor(actor));
    }
    // When it fails, another admin revoked it in between: the answer is the same.
    key = find_key(store, name);
    if (!key) {
        return Outcome<ApiKey>::refused(unknown);
    }
    return Outcome<ApiKey>::done(std::move(*key));
}

Outcome<std::string> renew_key(Store& store,
                               const std::string& old_name,
                               ApiKey& renewed,
                               const std::string& actor) {
    auto old = find_key(store, old_name);
    if (!old) {
        return Outcome<std::string>::refused({ErrorCode::not_found, "no key '" + old_name + "'"});
    }
    if (old->revoked_at) {
        return Outcome<std::string>::refused(
            {ErrorCode::conflict, "key '" + old_name + "' is revoked; create a new key instead"});
    }
    renewed.role = old->role;
    return create_audited_key(store, renewed, actor, old_name);
}

}  // namespace open311::workflow
