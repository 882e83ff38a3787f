#pragma once

#include "api/core/context.hpp"
#include "api/core/router.hpp"
#include "initiatives/documents.hpp"
#include "initiatives/list_query.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <vector>

namespace open311::api {
struct Shared;
}

namespace open311::initiatives {

using api::HttpResponse;
using api::RequestContext;

/// The handlers of the initiatives API: the public kuntalaisaloite open data API (JSON and
/// JSONP) and the admin routes that keep its initiatives up to date.
class InitiativeHandlers {
public:
    /// Reads the municipalities (shipped with the schema) once.
    explicit InitiativeHandlers(const api::Shared& shared);

    // Public, under initiatives.base_path.
    HttpResponse list_initiatives(const RequestContext& ctx) const;
    HttpResponse get_initiative(const RequestContext& ctx) const;
    HttpResponse list_municipalities(const RequestContext& ctx) const;
    HttpResponse get_municipality(const RequestContext& ctx) const;

    // Admin (/admin/v1/initiatives/{id}): the initiative in the import format.
    HttpResponse admin_get(const RequestContext& ctx) const;
    HttpResponse admin_put(const RequestContext& ctx) const;
    HttpResponse admin_delete(const RequestContext& ctx) const;

private:
    /// The document as JSON, or as a JSONP script when a valid callback was asked for.
    HttpResponse answer(const RequestContext& ctx, const nlohmann::json& document) const;
    /// The errors as {"errors": [{"code", "description", "parameter"}]}, always plain JSON.
    HttpResponse refuse(int status, const std::vector<ParamError>& errors) const;
    /// The problem with the jsonp parameter, if there is one.
    std::optional<ParamError> jsonp_error(const RequestContext& ctx) const;

    const api::Shared& s_;
    Links links_;
    Municipalities municipalities_;
};

/// The public routes, relative to initiatives.base_path.
void add_initiative_routes(api::Router& router, const InitiativeHandlers& handlers);
/// GET/PUT/DELETE /admin/v1/initiatives/{id} (role admin).
void add_initiative_admin_routes(api::Router& router, const InitiativeHandlers& handlers);

}  // namespace open311::initiatives
