#pragma once

#include "api/core/list_cache.hpp"
#include "api/core/response_cache.hpp"
#include "api/core/shared.hpp"
#include "api/guard/post_limits.hpp"
#include "api/upload/uploaded_form.hpp"
#include "store/catalogue_view.hpp"

#include <functional>
#include <memory>
#include <optional>

namespace open311::api {

/// The public Open311 GeoReport v2 API (with its CitySDK/Helsinki and FixMyStreet extensions)
/// under the base path, in XML and JSON, and the public media route. Built once per server;
/// each handler is a const member taking the request context.
class GeoReportHandlers final {
public:
    explicit GeoReportHandlers(Shared& shared)
        : s_(shared), limits_(shared.config, shared.store, shared.abuse, shared.respond) {}

    HttpResponse discovery(const RequestContext& ctx) const;
    HttpResponse service_list(const RequestContext& ctx) const;
    HttpResponse service_definition(const RequestContext& ctx) const;
    HttpResponse create_request(const RequestContext& ctx) const;
    HttpResponse search_requests(const RequestContext& ctx) const;
    HttpResponse get_request(const RequestContext& ctx) const;
    HttpResponse get_token(const RequestContext& ctx) const;
    HttpResponse update_list(const RequestContext& ctx) const;
    HttpResponse create_update(const RequestContext& ctx) const;
    HttpResponse get_update_token(const RequestContext& ctx) const;
    // The same answers from memory alone (the cached catalogue, a list answer still in the
    // cache); nullopt when the store must be asked.
    std::optional<HttpResponse> service_list_from_memory(const RequestContext& ctx) const;
    std::optional<HttpResponse> service_definition_from_memory(const RequestContext& ctx) const;
    std::optional<HttpResponse> search_requests_from_memory(const RequestContext& ctx) const;
    /// An uploaded file, once its request is published (Helsinki: nothing is public before).
    HttpResponse get_media(const RequestContext& ctx) const;

private:
    /// What the answer to GET requests/{id} depends on besides the request itself (kept by
    /// value: on the I/O-thread path it is made after the handler returned).
    struct RequestView {
        format::Format format;
        bool geojson = false;
        bool extensions = false;
        std::string locale;
        std::string id;
        /// The catalogue to name the service with, taken before the read (on the I/O-thread
        /// path it must not be read from the store afterwards); null: the store's snapshot.
        std::shared_ptr<const std::vector<Service>> catalogue;
    };
    /// GET requests/{id}'s answer once the request was read (nullopt: none with that id).
    HttpResponse request_answer(const RequestView& view,
                                std::optional<ServiceRequest> request) const;
    /// What a public POST (new request, update) carries once its opening checks passed.
    struct PostForm {
        form::Params fields;                   ///< the body's fields, then the query's
        std::shared_ptr<UploadedForm> upload;  ///< a multipart body's files
        std::optional<ApiKey> key;             ///< set once the api_key was recognised
    };
    /// Reads the form of a public POST and checks its jurisdiction, its API key and the key's
    /// rate limit, in that order; the refusal to answer, or nullopt with `post` filled.
    std::optional<HttpResponse> open_post(const RequestContext& ctx, PostForm& post) const;
    /// A token lookup (GET tokens/{token}, update_tokens/{token}): the id the token stands for,
    /// written by `tree`, or a 404 naming the token.
    HttpResponse token_answer(
        const RequestContext& ctx,
        const std::function<std::optional<std::string>(const std::string&)>& lookup,
        format::Document (*tree)(const std::string& token, const std::string& id)) const;
    HttpResponse service_list_of(const RequestContext& ctx, const CatalogueView& catalogue) const;
    HttpResponse service_definition_of(const RequestContext& ctx,
                                       const CatalogueView& catalogue) const;
    /// The list cache's key of a GET requests.
    static std::string list_cache_key(const RequestContext& ctx);
    /// GET requests without the list cache.
    HttpResponse render_request_list(const RequestContext& ctx) const;
    /// POST requests once the caller's address had a token; sets `key_name` once the API key
    /// is known, for the usage counters. nullopt when the answer comes later (ctx.later: it
    /// waits for its group commit), counted in the usage then.
    std::optional<HttpResponse> create_request_limited(const RequestContext& ctx,
                                                       std::string& key_name) const;

    Shared& s_;
    PostLimits limits_;
    Timestamp started_at_ = now();
    /// The service list and definitions, rendered (mutable: a cache, not state).
    mutable ResponseCache catalogue_cache_;
    /// Public list answers, while nothing was written (mutable: a cache, not state).
    mutable ListCache list_cache_;
};

}  // namespace open311::api
