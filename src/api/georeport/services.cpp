#include "api/georeport/handlers.hpp"
#include "format/trees.hpp"
#include "store/catalogue_view.hpp"
#include "validate/public_query.hpp"

namespace open311::api {

// GeoReport v2 "GET Service List"; CitySDK: locale.
HttpResponse GeoReportHandlers::service_list(const RequestContext& ctx) const {
    return service_list_of(ctx, CatalogueView(s_.store));
}

std::optional<HttpResponse> GeoReportHandlers::service_list_from_memory(
    const RequestContext& ctx) const {
    auto snapshot = s_.store.catalogue_in_memory();
    if (!snapshot) {
        return std::nullopt;
    }
    return service_list_of(ctx, CatalogueView(std::move(snapshot)));
}

HttpResponse GeoReportHandlers::service_list_of(const RequestContext& ctx,
                                                const CatalogueView& catalogue) const {
    if (auto e = validate::check_jurisdiction(s_.config, ctx.query)) {
        return s_.respond.error(ctx.format, *e);
    }
    const std::string locale = validate::locale_of(s_.config, ctx.query);
    // Rendered once per catalogue version, locale and format: the list changes rarely and
    // is read by every client at start.
    return catalogue_cache_.get(
        catalogue.snapshot(), "list/" + locale + "/" + format::content_type(ctx.format), [&] {
            return s_.respond.document(
                format::services_tree(catalogue.all(), locale, s_.config.default_locale),
                ctx.format);
        });
}

// GeoReport v2 "GET Service Definition".
HttpResponse GeoReportHandlers::service_definition(const RequestContext& ctx) const {
    return service_definition_of(ctx, CatalogueView(s_.store));
}

std::optional<HttpResponse> GeoReportHandlers::service_definition_from_memory(
    const RequestContext& ctx) const {
    auto snapshot = s_.store.catalogue_in_memory();
    if (!snapshot) {
        return std::nullopt;
    }
    return service_definition_of(ctx, CatalogueView(std::move(snapshot)));
}

HttpResponse GeoReportHandlers::service_definition_of(const RequestContext& ctx,
                                                      const CatalogueView& catalogue) const {
    if (auto e = validate::check_jurisdiction(s_.config, ctx.query)) {
        return s_.respond.error(ctx.format, *e);
    }
    const auto& code = ctx.path.at("service_code");
    const Service* service = catalogue.find(code);
    if (service == nullptr || !service->active) {
        return s_.respond.error(ctx.format,
                                {ErrorCode::not_found, "service_code: no service '" + code + "'"});
    }
    const std::string locale = validate::locale_of(s_.config, ctx.query);
    return catalogue_cache_.get(
        catalogue.snapshot(),
        "definition/" + code + "/" + locale + "/" + format::content_type(ctx.format),
        [&] {
            return s_.respond.document(
                format::service_definition_tree(*service, locale, s_.config.default_locale),
                ctx.format);
        });
}

}  // namespace open311::api
