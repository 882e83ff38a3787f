#include "api/core/catalogue_view.hpp"
#include "api/handlers.hpp"
#include "format/trees.hpp"

namespace open311::api {

// GeoReport v2 "GET Service List"; CitySDK: locale.
HttpResponse Handlers::service_list(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    const CatalogueView catalogue(store_);
    const std::string locale = locale_of(ctx.query);
    // Rendered once per catalogue version, locale and format: the list changes rarely and
    // is read by every client at start.
    return catalogue_cache_.get(
        catalogue.snapshot(), "list/" + locale + "/" + format::content_type(ctx.format), [&] {
            return respond_.document(
                format::services_tree(catalogue.all(), locale, config_.default_locale), ctx.format);
        });
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
    const std::string locale = locale_of(ctx.query);
    return catalogue_cache_.get(
        catalogue.snapshot(),
        "definition/" + code + "/" + locale + "/" + format::content_type(ctx.format),
        [&] {
            return respond_.document(
                format::service_definition_tree(*service, locale, config_.default_locale),
                ctx.format);
        });
}

}  // namespace open311::api
