// Staff API (admin role): the service catalogue. One shape for the import file and the API
// (catalogue/catalogue_file.cpp), so GET's answer can be imported and a file's service posted.
// Every change goes through workflow/catalogue.cpp, which commits it with its audit line.
#include "api/admin/handlers.hpp"
#include "catalogue/catalogue_file.hpp"
#include "workflow/catalogue.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace open311::api {

namespace {

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

}  // namespace

HttpResponse StaffHandlers::list_services(const RequestContext& /*ctx*/) const {
    // The answer is a catalogue file: it can be saved and imported as it is.
    return s_.respond.json(catalogue::catalogue_to_json(*s_.store.catalogue_snapshot()));
}

HttpResponse StaffHandlers::get_service(const RequestContext& ctx) const {
    const auto& code = ctx.path.at("code");
    auto service = s_.store.find_service(code);
    if (!service) {
        return s_.respond.error(format::Format::json, unknown_service(code));
    }
    return s_.respond.json(catalogue::service_to_json(*service));
}

HttpResponse StaffHandlers::create_service(const RequestContext& ctx) const {
    nlohmann::json body;
    if (auto e = read_object(ctx.http.body, body)) {
        return s_.respond.error(format::Format::json, *e);
    }
    Service service;
    try {
        service = catalogue::parse_service(body, catalogue::UnknownMembers::refuse);
    } catch (const catalogue::CatalogueError& e) {
        return s_.respond.error(format::Format::json, from_catalogue_error(e));
    }
    return save_service(service, std::nullopt, "service.create", ctx.actor);
}

HttpResponse StaffHandlers::edit_service(const RequestContext& ctx) const {
    const auto& code = ctx.path.at("code");
    // An unknown service is a 404 whatever the body says.
    auto current = s_.store.find_service(code);
    if (!current) {
        return s_.respond.error(format::Format::json, unknown_service(code));
    }
    nlohmann::json body;
    if (auto e = read_object(ctx.http.body, body)) {
        return s_.respond.error(format::Format::json, *e);
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
        return s_.respond.errors(format::Format::json, errors);
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
        return s_.respond.error(format::Format::json, from_catalogue_error(e));
    }
    return save_service(after, current, "service.update", ctx.actor);
}

HttpResponse StaffHandlers::deactivate_service(const RequestContext& ctx) const {
    const auto& code = ctx.path.at("code");
    auto current = s_.store.find_service(code);
    if (!current) {
        return s_.respond.error(format::Format::json, unknown_service(code));
    }
    Service after = *current;
    after.active = false;
    return save_service(after, current, "service.deactivate", ctx.actor);
}

HttpResponse StaffHandlers::save_service(const Service& service,
                                         const std::optional<Service>& before,
                                         const char* action,
                                         const std::string& actor) const {
    auto outcome = workflow::save_service(s_.store, service, before, action, actor);
    if (!outcome.ok()) {
        return s_.respond.errors(format::Format::json, outcome.errors);
    }
    const bool created = *outcome.value == workflow::SaveKind::created;
    auto response = s_.respond.json(catalogue::service_to_json(service), created ? 201 : 200);
    if (created) {
        response.headers.emplace_back("Location", "/admin/v1/services/" + service.code);
    }
    return response;
}

}  // namespace open311::api
