// GeoReport v2 "GET Service Requests", "GET Service Request", "GET request id from a token";
// CitySDK: extensions, locale; moderation: only published requests are listed.
#include "api/handlers.hpp"
#include "format/trees.hpp"
#include "validate/search_query.hpp"

#include <algorithm>

namespace open311::api {

namespace {

/// Service names in one locale, read from the shared catalogue snapshot (no copies).
class ServiceNames {
public:
    ServiceNames(Store& store, std::string locale, std::string fallback)
        : catalogue_(store.catalogue_snapshot()),
          locale_(std::move(locale)),
          fallback_(std::move(fallback)) {}
    const std::string& operator()(const std::string& code) const {
        static const std::string kEmpty;
        auto it =
            std::lower_bound(catalogue_->begin(),
                             catalogue_->end(),
                             code,
                             [](const Service& s, const std::string& c) { return s.code < c; });
        if (it == catalogue_->end() || it->code != code) {
            return kEmpty;
        }
        return it->translation(locale_, fallback_).name;
    }

private:
    std::shared_ptr<const std::vector<Service>> catalogue_;
    std::string locale_;
    std::string fallback_;
};

std::string page_link(const RequestContext& ctx, int page) {
    std::string out = ctx.http.target.substr(0, ctx.http.target.find('?'));
    bool first = true;
    for (const auto& [name, value] : ctx.query.items()) {
        // A key has no place in a link a client may log or share.
        if (name == "page" || name == "api_key") {
            continue;
        }
        out += (first ? "?" : "&") + percent_encode(name) + "=" + percent_encode(value);
        first = false;
    }
    return out + (first ? "?" : "&") + "page=" + std::to_string(page);
}

}  // namespace

HttpResponse Handlers::search_requests(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    validate::SearchQuery query;
    auto errors = validate::search_query(ctx.query, config_.profile, now(), query);
    if (!errors.empty()) {
        return respond_.errors(ctx.format, errors);
    }
    query.filter.states = {ModerationState::published};
    auto page = store_.search_requests(query.filter);

    ServiceNames names(store_, locale_of(ctx.query), config_.default_locale);
    auto list = nlohmann::ordered_json::array();
    for (const auto& r : page.items) {
        list.push_back(format::public_request(
            r, names(r.service_code), query.extensions, format::Detail::full));
    }
    auto response = respond_.document({"service_requests", std::move(list)}, ctx.format);
    response.headers.emplace_back("X-Total-Count", std::to_string(page.total));
    if (query.filter.offset + static_cast<std::int64_t>(page.items.size()) < page.total) {
        response.headers.emplace_back("Link",
                                      "<" + page_link(ctx, query.page + 1) + ">; rel=\"next\"");
    }
    return response;
}

HttpResponse Handlers::get_request(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    std::vector<ApiError> errors;
    const bool extensions = validate::read_bool(ctx.query, "extensions", false, errors);
    if (!errors.empty()) {
        return respond_.errors(ctx.format, errors);
    }
    const auto& id = ctx.path.at("service_request_id");
    auto request = store_.find_request(id);
    const auto not_found =
        ApiError{ErrorCode::not_found, "service_request_id: no request '" + id + "'"};
    if (!request || request->state == ModerationState::rejected) {
        return respond_.error(ctx.format, not_found);
    }
    auto detail = format::Detail::full;
    if (request->state == ModerationState::pending) {
        if (config_.profile.pending_by_id == PendingVisibility::hidden) {
            return respond_.error(ctx.format, not_found);
        }
        detail = format::Detail::partial;
    }
    ServiceNames names(store_, locale_of(ctx.query), config_.default_locale);
    auto item = format::public_request(*request, names(request->service_code), extensions, detail);
    return respond_.document(
        {"service_requests", nlohmann::ordered_json::array({item}), format::Shape::single_request},
        ctx.format);
}

HttpResponse Handlers::get_token(const RequestContext& ctx) const {
    if (auto e = check_jurisdiction(ctx.query)) {
        return respond_.error(ctx.format, *e);
    }
    const auto& token = ctx.path.at("token");
    auto id = store_.find_request_id_by_token(token);
    if (!id) {
        return respond_.error(ctx.format,
                              {ErrorCode::not_found, "token: no token '" + token + "'"});
    }
    return respond_.document(format::token_tree(token, *id), ctx.format);
}

}  // namespace open311::api
