#include "api/catalogue_view.hpp"
#include "api/handlers.hpp"
#include "format/trees.hpp"

namespace open311::api {

// GeoReport v2 "GET Service List"; CitySDK: locale.
HttpResponse Handlers::service_list(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    const CatalogueView catalogue(store_);
    return respond_.document(
        format::services_tree(catalogue.all(), locale_of(ctx.query), config_.default_locale),
        ctx.format);
}

// GeoReport v2 "GET Service Definition".
HttpResponse Handlers::service_definition(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    const auto& code = ctx.path.at("service_code");
    const CatalogueView catalogue(store_);
    const Service* service = catalogue.find(code);
    if (service == nullptr || !service->active) {
        return respond_.error(ctx.format,
                              {ErrorCode::not_found, "service_code: no service '" + code + "'"});
    }
    return respond_.document(
        format::service_definition_tree(*service, locale_of(ctx.query), config_.default_locale),
        ctx.format);
}

}  // namespace open311::api
