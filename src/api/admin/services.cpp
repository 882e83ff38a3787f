// Staff API (admin role): the service catalogue. One shape for the import file and the API
// (catalogue/catalogue_file.cpp), so GET's answer can be imported and a file's service posted.
// Every change commits with its audit line; the store bumps the catalogue revision, so the
// public `services` list and POST requests see it on their next read.
#include "api/handlers.hpp"
#include "catalogue/catalogue_file.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <string_view>

namespace open311::api {

namespace {

using nlohmann::ordered_json;

/// The top-level members PATCH may change; service_code only names the service.
constexpr std::array<std::string_view, 4> kEditable = {
    "type", "active", "translations", "attributes"};

ApiError from_catalogue_error(const catalogue::CatalogueError& e) {
    return field_error(e.field().empty() ? "body" : e.field(), e.problem());
}

ApiError unknown_service(const std::string& code) {
    return {ErrorCode::not_found, "no service '" + code + "'"};
}

/// The body as a JSON object, or the error naming what is wrong.
std::optional<ApiError> read_object(const std::string& text, nlohmann::json& out) {
    out = nlohmann::json::parse(text, nullptr, false);
    if (out.is_discarded() || !out.is_object()) {
        return field_error("body", "expected a JSON object (Content-Type: application/json)");
    }
    return std::nullopt;
}

/// {"before": …, "after": …} with only the top-level members that differ.
ordered_json changed_members(const ordered_json& before, const ordered_json& after) {
    ordered_json b = ordered_json::object();
    ordered_json a = ordered_json::object();
    for (const auto& [key, value] : after.items()) {
        if (!before.contains(key) || before[key] != value) {
            b[key] = before.contains(key) ? before[key] : ordered_json(nullptr);
            a[key] = value;
        }
    }
    return {{"before", std::move(b)}, {"after", std::move(a)}};
}

}  // namespace

HttpResponse Handlers::admin_list_services(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_admin(ctx, who)) {
        return *denied;
    }
    // The answer is a catalogue file: it can be saved and imported as it is.
    auto list = ordered_json::array();
    for (const auto& s : *store_.catalogue_snapshot()) {
        list.push_back(catalogue::service_to_json(s));
    }
    return respond_.json({{"services", std::move(list)}});
}

HttpResponse Handlers::admin_get_service(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_admin(ctx, who)) {
        return *denied;
    }
    const auto& code = ctx.path.at("code");
    auto service = store_.find_service(code);
    if (!service) {
        return respond_.error(format::Format::json, unknown_service(code));
    }
    return respond_.json(catalogue::service_to_json(*service));
}

HttpResponse Handlers::admin_create_service(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_admin(ctx, who)) {
        return *denied;
    }
    nlohmann::json body;
    if (auto e = read_object(ctx.http.body, body)) {
        return respond_.error(format::Format::json, *e);
    }
    Service service;
    try {
        service = catalogue::parse_service(body, catalogue::UnknownMembers::refuse);
    } catch (const catalogue::CatalogueError& e) {
        return respond_.error(format::Format::json, from_catalogue_error(e));
    }
    return save_service(service, std::nullopt, "service.create", who);
}

HttpResponse Handlers::admin_edit_service(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_admin(ctx, who)) {
        return *denied;
    }
    const auto& code = ctx.path.at("code");
    nlohmann::json body;
    if (auto e = read_object(ctx.http.body, body)) {
        return respond_.error(format::Format::json, *e);
    }
    std::vector<ApiError> errors;
    for (const auto& [key, value] : body.items()) {
        if (key == "service_code") {
            if (value != code) {
                errors.push_back(
                    field_error(key, "cannot be changed; create a service with the new code"));
            }
        } else if (std::find(kEditable.begin(), kEditable.end(), key) == kEditable.end()) {
            errors.push_back(field_error(
                key, "unknown field; expected type, active, translations or attributes"));
        } else if (value.is_null() && key != "attributes") {
            errors.push_back(field_error(key, "cannot be null"));
        }
    }
    if (!errors.empty()) {
        return respond_.errors(format::Format::json, errors);
    }
    auto current = store_.find_service(code);
    if (!current) {
        return respond_.error(format::Format::json, unknown_service(code));
    }
    // A member given replaces the stored one whole (translations, attributes); the others stay.
    nlohmann::json merged = catalogue::service_to_json(*current);
    for (const auto& [key, value] : body.items()) {
        merged[key] = value;
    }
    Service after;
    try {
        after = catalogue::parse_service(merged, catalogue::UnknownMembers::refuse);
    } catch (const catalogue::CatalogueError& e) {
        return respond_.error(format::Format::json, from_catalogue_error(e));
    }
    return save_service(after, current, "service.update", who);
}

HttpResponse Handlers::admin_deactivate_service(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_admin(ctx, who)) {
        return *denied;
    }
    const auto& code = ctx.path.at("code");
    auto current = store_.find_service(code);
    if (!current) {
        return respond_.error(format::Format::json, unknown_service(code));
    }
    Service after = *current;
    after.active = false;
    return save_service(after, current, "service.deactivate", who);
}

HttpResponse Handlers::save_service(const Service& service,
                                    const std::optional<Service>& before,
                                    const char* action,
                                    const std::string& who) const {
    auto after_json = catalogue::service_to_json(service);
    ordered_json detail;
    if (before) {
        detail = changed_members(catalogue::service_to_json(*before), after_json);
        if (detail["after"].empty()) {
            // Nothing changes (a repeated DELETE, an idempotent PATCH): no write, no audit line.
            return respond_.json(after_json);
        }
    } else {
        detail = {{"before", nullptr}, {"after", after_json}};
    }
    const AuditEntry audit{0, now(), who, action, "", service.code, detail.dump()};
    const auto outcome =
        before ? store_.update_service(service, audit) : store_.create_service(service, audit);
    switch (outcome) {
        case SaveOutcome::exists:
            return respond_.error(
                format::Format::json,
                {ErrorCode::conflict,
                 "service_code: service '" + service.code +
                     "' already exists; PATCH /admin/v1/services/" + service.code + " changes it"});
        case SaveOutcome::not_found:
            return respond_.error(format::Format::json, unknown_service(service.code));
        case SaveOutcome::applied:
            break;
    }
    spdlog::info("catalogue: {} {} by key '{}'", action, service.code, who);
    auto response = respond_.json(after_json, before ? 200 : 201);
    if (!before) {
        response.headers.emplace_back("Location", "/admin/v1/services/" + service.code);
    }
    return response;
}

}  // namespace open311::api
