// The initiatives API: public reads (JSON, JSONP) and the admin routes. Errors name their
// parameter; a refused JSONP callback is never written back.
#include "initiatives/handlers.hpp"

#include "api/core/shared.hpp"
#include "initiatives/changes.hpp"
#include "initiatives/import_format.hpp"
#include "initiatives/jsonp.hpp"

#include <set>

namespace open311::initiatives {

namespace {

constexpr const char* kJsonType = "application/json; charset=utf-8";
constexpr const char* kScriptType = "application/javascript; charset=utf-8";

}  // namespace

InitiativeHandlers::InitiativeHandlers(const api::Shared& shared)
    : s_(shared),
      links_(links_for(shared.config)),
      municipalities_(shared.store.list_municipalities(),
                      shared.config.initiatives.active_municipalities) {}

std::optional<ParamError> InitiativeHandlers::jsonp_error(const RequestContext& ctx) const {
    // get() skips empty values; an empty jsonp= is a request for a callback without a name.
    auto callback = ctx.query.get("jsonp");
    if (ctx.query.has("jsonp") && (!callback || !valid_jsonp_callback(*callback))) {
        return ParamError{"jsonp",
                          "expected a JavaScript function name or path such as myCallback, "
                          "a.b or fns[42].method (letters, digits, _ and $; no reserved word)"};
    }
    return std::nullopt;
}

HttpResponse InitiativeHandlers::answer(const RequestContext& ctx,
                                        const nlohmann::json& document) const {
    HttpResponse r;
    r.status = 200;
    auto callback = ctx.query.get("jsonp");
    if (callback) {
        // Validated by the handler before it read anything (jsonp_error).
        r.content_type = kScriptType;
        r.body = *callback + "(" + dump(document) + ");";
    } else {
        r.content_type = kJsonType;
        r.body = dump(document);
    }
    return r;
}

HttpResponse InitiativeHandlers::refuse(int status, const std::vector<ParamError>& errors) const {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& e : errors) {
        list.push_back(
            {{"code", status},
             {"description",
              e.parameter.empty() ? e.description : e.parameter + ": " + e.description},
             {"parameter",
              e.parameter.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.parameter)}});
    }
    HttpResponse r;
    r.status = status;
    r.content_type = kJsonType;
    r.body = dump({{"errors", std::move(list)}});
    return r;
}

HttpResponse InitiativeHandlers::list_initiatives(const RequestContext& ctx) const {
    auto read = read_list_query(ctx.query, municipalities_);
    if (auto e = jsonp_error(ctx)) {
        read.errors.insert(read.errors.begin(), *e);
    }
    if (!read.errors.empty()) {
        return refuse(400, read.errors);
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& i : s_.store.list_public_initiatives(read.query)) {
        list.push_back(list_item_json(i, municipalities_, links_));
    }
    return answer(ctx, list);
}

HttpResponse InitiativeHandlers::get_initiative(const RequestContext& ctx) const {
    if (auto e = jsonp_error(ctx)) {
        return refuse(400, {*e});
    }
    const auto& text = ctx.path.at("id");
    std::optional<Initiative> found;
    if (auto id = path_id(text)) {
        found = s_.store.find_initiative(*id);
    }
    // One answer for "no such initiative" and "not public": nothing tells them apart.
    if (!found || !found->is_public()) {
        return refuse(404, {{"", "no public initiative with this id"}});
    }
    return answer(ctx, details_json(*found, municipalities_, links_));
}

HttpResponse InitiativeHandlers::list_municipalities(const RequestContext& ctx) const {
    if (auto e = jsonp_error(ctx)) {
        return refuse(400, {*e});
    }
    nlohmann::json list = nlohmann::json::array();
    for (const auto& m : municipalities_.by_finnish_name()) {
        list.push_back(municipality_json(m, municipalities_.active(m.code), links_));
    }
    return answer(ctx, list);
}

HttpResponse InitiativeHandlers::get_municipality(const RequestContext& ctx) const {
    if (auto e = jsonp_error(ctx)) {
        return refuse(400, {*e});
    }
    const Municipality* m = nullptr;
    if (auto code = path_id(ctx.path.at("id")); code && *code <= 999) {
        m = municipalities_.find(static_cast<int>(*code));
    }
    if (m == nullptr) {
        return refuse(404, {{"", "no municipality with this id"}});
    }
    return answer(ctx, municipality_json(*m, municipalities_.active(m->code), links_));
}

namespace {

ApiError unknown_initiative(const std::string& id) {
    return {ErrorCode::not_found, "no initiative '" + id + "'"};
}

}  // namespace

HttpResponse InitiativeHandlers::admin_get(const RequestContext& ctx) const {
    const auto& text = ctx.path.at("id");
    std::optional<Initiative> found;
    if (auto id = path_id(text)) {
        found = s_.store.find_initiative(*id);
    }
    if (!found) {
        return s_.respond.error(format::Format::json, unknown_initiative(text));
    }
    return s_.respond.json(import_object(*found));
}

HttpResponse InitiativeHandlers::admin_put(const RequestContext& ctx) const {
    const auto& text = ctx.path.at("id");
    const auto id = path_id(text);
    if (!id) {
        return s_.respond.error(
            format::Format::json,
            field_error("id", "expected a whole number from 1 without leading zeros in the path"));
    }
    const auto body = nlohmann::json::parse(ctx.http.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        return s_.respond.error(
            format::Format::json,
            field_error("body", "expected an initiative object (Content-Type: application/json)"));
    }
    std::set<int> known;
    for (const auto& m : municipalities_.by_finnish_name()) {
        known.insert(m.code);
    }
    std::vector<std::string> problems;
    auto initiative = read_initiative(body, "body", known, *id, problems);
    if (!initiative) {
        std::vector<ApiError> errors;
        for (auto& p : problems) {
            // "body.participants.public: …" → "participants.public: …"
            errors.push_back(
                {ErrorCode::bad_request, p.rfind("body.", 0) == 0 ? p.substr(5) : std::move(p)});
        }
        return s_.respond.errors(format::Format::json, errors);
    }
    auto saved = save_initiative(s_.store, *initiative, ctx.actor);
    if (!saved.ok()) {
        return s_.respond.errors(format::Format::json, saved.errors);
    }
    auto stored = s_.store.find_initiative(*id);
    if (!stored) {
        return s_.respond.error(format::Format::json, unknown_initiative(text));
    }
    return s_.respond.json(import_object(*stored), *saved.value == Saved::created ? 201 : 200);
}

HttpResponse InitiativeHandlers::admin_delete(const RequestContext& ctx) const {
    const auto& text = ctx.path.at("id");
    const auto id = path_id(text);
    if (!id) {
        return s_.respond.error(format::Format::json, unknown_initiative(text));
    }
    auto deleted = delete_initiative(s_.store, *id, ctx.actor);
    if (!deleted.ok()) {
        return s_.respond.errors(format::Format::json, deleted.errors);
    }
    HttpResponse r;
    r.status = 204;
    return r;
}

namespace {
template <typename Fn>
api::Handler bind(const InitiativeHandlers& group, Fn fn) {
    return [&group, fn](const RequestContext& ctx) {
        return (group.*fn)(ctx);
    };
}
}  // namespace

void add_initiative_routes(api::Router& r, const InitiativeHandlers& h) {
    using H = InitiativeHandlers;
    using api::Method;
    r.add(Method::get, "/initiatives", bind(h, &H::list_initiatives));
    r.add(Method::get, "/initiatives/{id}", bind(h, &H::get_initiative));
    r.add(Method::get, "/municipalities", bind(h, &H::list_municipalities));
    r.add(Method::get, "/municipalities/{id}", bind(h, &H::get_municipality));
}

void add_initiative_admin_routes(api::Router& r, const InitiativeHandlers& h) {
    using H = InitiativeHandlers;
    using api::Method;
    constexpr auto admin = Role::admin;
    r.add(Method::get, "/admin/v1/initiatives/{id}", bind(h, &H::admin_get), admin);
    r.add(Method::put, "/admin/v1/initiatives/{id}", bind(h, &H::admin_put), admin);
    r.add(Method::delete_, "/admin/v1/initiatives/{id}", bind(h, &H::admin_delete), admin);
}

}  // namespace open311::initiatives
