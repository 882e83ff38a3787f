// GeoReport v2 "GET request id from a token" and the FMS update tokens: a batch service answers
// a token at submission, which later resolves to the id.
#include "api/georeport/handlers.hpp"
#include "format/trees.hpp"
#include "format/workflow_trees.hpp"
#include "validate/public_query.hpp"

namespace open311::api {

HttpResponse GeoReportHandlers::token_answer(
    const RequestContext& ctx,
    const std::function<std::optional<std::string>(const std::string&)>& lookup,
    format::Document (*tree)(const std::string& token, const std::string& id)) const {
    if (auto e = validate::check_jurisdiction(s_.config, ctx.query)) {
        return s_.respond.error(ctx.format, *e);
    }
    const auto& token = ctx.path.at("token");
    auto id = lookup(token);
    if (!id) {
        return s_.respond.error(ctx.format,
                                {ErrorCode::not_found, "token: no token '" + token + "'"});
    }
    return s_.respond.document(tree(token, *id), ctx.format);
}

HttpResponse GeoReportHandlers::get_token(const RequestContext& ctx) const {
    return token_answer(
        ctx,
        [this](const std::string& token) { return s_.store.find_request_id_by_token(token); },
        &format::token_tree);
}

HttpResponse GeoReportHandlers::get_update_token(const RequestContext& ctx) const {
    return token_answer(
        ctx,
        [this](const std::string& token) { return s_.store.find_update_id_by_token(token); },
        &format::update_token_tree);
}

}  // namespace open311::api
