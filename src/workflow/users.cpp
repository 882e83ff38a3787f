// Staff console accounts: creation, disabling, password changes, each with its audit line.
// The password and its hash never enter an audit line or a log line.
#include "workflow/users.hpp"

#include "util/password.hpp"
#include "workflow/audit.hpp"

#include <spdlog/spdlog.h>

namespace open311::workflow {

namespace {

nlohmann::ordered_json user_json(const StaffUser& user) {
    nlohmann::ordered_json j;
    j["name"] = user.name;
    j["role"] = to_string(user.role);
    j["disabled"] = user.disabled_at.has_value();
    return j;
}

bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_' || c == '@';
}

}  // namespace

std::optional<std::string> user_name_problem(const std::string& name) {
    if (name.size() < 3 || name.size() > 64) {
        return "name: must be 3 to 64 characters";
    }
    for (char c : name) {
        if (!name_char(c)) {
            return "name: only letters a-z, digits and . - _ @ are allowed";
        }
    }
    return std::nullopt;
}

std::optional<std::string> password_problem(const std::string& password) {
    if (password.size() < kMinPasswordLength) {
        return "password: must be at least " + std::to_string(kMinPasswordLength) + " characters";
    }
    if (password.size() > kMaxPasswordLength) {
        return "password: must be at most " + std::to_string(kMaxPasswordLength) + " characters";
    }
    return std::nullopt;
}

Outcome<StaffUser> create_user(Store& store,
                               const std::string& name,
                               Role role,
                               const std::string& password,
                               const std::string& actor) {
    std::vector<ApiError> errors;
    if (auto p = user_name_problem(name)) {
        errors.push_back({ErrorCode::bad_request, *p});
    }
    if (role != Role::staff && role != Role::admin) {
        errors.push_back({ErrorCode::bad_request, "role: must be staff or admin"});
    }
    if (auto p = password_problem(password)) {
        errors.push_back({ErrorCode::bad_request, *p});
    }
    if (!errors.empty()) {
        return Outcome<StaffUser>::refused(std::move(errors));
    }
    StaffUser user;
    user.name = name;
    user.role = role;
    user.password_hash = hash_password(password);
    user.created_at = now();
    const auto audit =
        audit_line(user.created_at, actor, "user.create", "", name, nullptr, user_json(user));
    if (!store.insert_user(user, audit)) {
        return Outcome<StaffUser>::refused(
            {ErrorCode::conflict, "name: a user named '" + name + "' already exists"});
    }
    // Names stay out of the log: a user name may be an e-mail address (the audit has it).
    spdlog::info("users: a user was created (role {})", to_string(role));
    return Outcome<StaffUser>::done(std::move(user));
}

Outcome<StaffUser> disable_user(Store& store, const std::string& name, const std::string& actor) {
    auto user = store.find_user(name);
    if (!user) {
        return Outcome<StaffUser>::refused({ErrorCode::not_found, "no user '" + name + "'"});
    }
    if (user->disabled_at) {
        return Outcome<StaffUser>::done(std::move(*user));
    }
    const Timestamp at = now();
    auto after = *user;
    after.disabled_at = at;
    const auto audit =
        audit_line(at, actor, "user.disable", "", name, user_json(*user), user_json(after));
    if (!store.disable_user(name, at, audit)) {
        // Disabled meanwhile by someone else: the outcome is the same.
        return Outcome<StaffUser>::done(store.find_user(name).value_or(after));
    }
    spdlog::info("users: a user was disabled");
    return Outcome<StaffUser>::done(std::move(after));
}

Outcome<StaffUser> set_user_password(Store& store,
                                     const std::string& name,
                                     const std::string& password,
                                     const std::string& actor) {
    if (auto p = password_problem(password)) {
        return Outcome<StaffUser>::refused({ErrorCode::bad_request, *p});
    }
    auto user = store.find_user(name);
    if (!user) {
        return Outcome<StaffUser>::refused({ErrorCode::not_found, "no user '" + name + "'"});
    }
    user->password_hash = hash_password(password);
    nlohmann::ordered_json detail;
    detail["password"] = "changed";
    const auto audit = audit_line(now(), actor, "user.password", "", name, nullptr, detail);
    if (!store.set_user_password(name, user->password_hash, audit)) {
        return Outcome<StaffUser>::refused({ErrorCode::not_found, "no user '" + name + "'"});
    }
    spdlog::info("users: a password was changed");
    return Outcome<StaffUser>::done(std::move(*user));
}

}  // namespace open311::workflow
