// GeoReport v2 "POST Service Request"; Helsinki: can_be_published, title, service objects,
// moderation (every new request starts pending).
#include "api/guard/auth.hpp"
#include "api/core/catalogue_view.hpp"
#include "api/handlers.hpp"
#include "api/upload/media_ingest.hpp"
#include "api/upload/upload_spool.hpp"
#include "format/trees.hpp"
#include "util/ip_range.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "validate/new_request.hpp"

#include <algorithm>

namespace open311::api {

namespace {

/// The form fields of a POST body; nullopt when its content type is not a form. A multipart
/// body comes spooled by the transport (`http.form`); one still in memory is spooled here the
/// same way, so both paths check the same limits.
std::optional<Params> read_form(const HttpRequest& http,
                                const Config& config,
                                std::shared_ptr<UploadedForm>& upload,
                                std::optional<ApiError>& problem) {
    auto type = to_lower(trim(http.content_type.substr(0, http.content_type.find(';'))));
    if (http.form) {
        upload = http.form;
    } else if (type == "multipart/form-data") {
        UploadSpool spool(config, http.content_type);
        spool.feed(http.body);
        upload = spool.finish();
    }
    if (upload) {
        if (upload->error) {
            problem = upload->error;
            return std::nullopt;
        }
        return upload->fields;
    }
    if (type == "application/x-www-form-urlencoded" ||
        (type.empty() && !http.body.empty() && http.body.find('=') != std::string::npos)) {
        return parse_form(http.body);
    }
    if (type.empty()) {
        return Params{};
    }
    problem =
        ApiError{ErrorCode::bad_request,
                 "Content-Type must be application/x-www-form-urlencoded or multipart/form-data"};
    return std::nullopt;
}

/// Gives a claimed Idempotency-Key back unless the request it guards was answered, so that a
/// refused request can be corrected and sent again with the same key.
class ClaimGuard final {
public:
    explicit ClaimGuard(Store& store) : store_(store) {}
    ~ClaimGuard() {
        if (record_ && !completed_) {
            try {
                store_.release_idempotency_key(record_->api_key_name, record_->key);
            } catch (const std::exception&) {
                // The claim then expires on its own (kIdempotencyStaleSeconds).
            }
        }
    }
    ClaimGuard(const ClaimGuard&) = delete;
    ClaimGuard& operator=(const ClaimGuard&) = delete;

    void hold(IdempotencyRecord record) { record_ = std::move(record); }
    /// Stores the answer for retries.
    void complete(const HttpResponse& response) {
        if (!record_) {
            return;
        }
        record_->status = response.status;
        record_->content_type = response.content_type;
        record_->body = response.body;
        store_.complete_idempotency_key(*record_);
        completed_ = true;
    }

private:
    Store& store_;
    std::optional<IdempotencyRecord> record_;
    bool completed_ = false;
};

HttpResponse replay(const IdempotencyRecord& record) {
    HttpResponse r;
    r.status = record.status;
    r.content_type = record.content_type;
    r.body = record.body;
    r.headers.emplace_back("Idempotent-Replayed", "true");
    return r;
}

}  // namespace

HttpResponse Handlers::too_many(const RequestContext& ctx,
                                int retry_after,
                                std::string what) const {
    auto r = respond_.error(ctx.format, {ErrorCode::too_many_requests, std::move(what)});
    r.headers.emplace_back("Retry-After", std::to_string(retry_after));
    return r;
}

std::optional<HttpResponse> Handlers::take_post_token(const RequestContext& ctx,
                                                      const std::string& bucket,
                                                      int per_minute,
                                                      int burst,
                                                      const std::string& refusal) const {
    int retry_after = 0;
    if (abuse_.limiter.take(bucket, per_minute, burst, RateLimiter::Clock::now(), retry_after)) {
        return std::nullopt;
    }
    return too_many(ctx, retry_after, refusal + "; retry in " + std::to_string(retry_after) + " s");
}

std::optional<HttpResponse> Handlers::limit_address(const RequestContext& ctx) const {
    const auto client =
        client_ip(ctx.http.client_address, ctx.http.forwarded_for, abuse_.trusted_proxies);
    return take_post_token(ctx,
                           "ip:" + client,
                           config_.ip_posts_per_minute,
                           config_.ip_burst,
                           "too many requests from this address");
}

std::optional<HttpResponse> Handlers::limit_key(const RequestContext& ctx,
                                                const ApiKey& key) const {
    const auto limits = store_.find_key_limits(key.name).value_or(KeyLimits{});
    return take_post_token(ctx,
                           "key:" + key.name,
                           limits.posts_per_minute.value_or(config_.key_posts_per_minute),
                           limits.burst.value_or(config_.key_burst),
                           "api_key: too many requests with this key");
}

HttpResponse Handlers::create_request(const RequestContext& ctx) const {
    // Per client address first: it is checked before any work, key or no key.
    if (auto limited = limit_address(ctx)) {
        return *limited;
    }
    std::string key_name;
    auto response = create_request_limited(ctx, key_name);
    if (!key_name.empty()) {
        const bool replayed =
            std::any_of(response.headers.begin(), response.headers.end(), [](const auto& h) {
                return h.first == "Idempotent-Replayed";
            });
        if (response.status == 429) {
            abuse_.usage.count(key_name, UsageCounter::Event::rate_limited);
        } else if (response.status >= 400 && response.status < 500) {
            abuse_.usage.count(key_name, UsageCounter::Event::rejected);
        } else if (response.status == 200 && !replayed) {
            abuse_.usage.count(key_name, UsageCounter::Event::created);
        }
    }
    return response;
}

HttpResponse Handlers::create_request_limited(const RequestContext& ctx,
                                              std::string& key_name) const {
    std::shared_ptr<UploadedForm> upload;
    std::optional<ApiError> problem;
    auto parsed = read_form(ctx.http, config_, upload, problem);
    if (!parsed) {
        return respond_.error(ctx.format, *problem);
    }
    Params form = std::move(*parsed);
    form.merge(ctx.query);  // api_key and jurisdiction_id may come in the query string

    if (auto e = check_jurisdiction(form)) {
        return respond_.error(ctx.format, *e);
    }
    auto key = authenticate(store_, form.get("api_key").value_or(""), now());
    if (!key) {
        return respond_.error(ctx.format,
                              {ErrorCode::forbidden,
                               form.get("api_key") ? "api_key: invalid, revoked or expired API key"
                                                   : "api_key: required"});
    }
    key_name = key->name;

    if (auto limited = limit_key(ctx, *key)) {
        return *limited;
    }

    // Idempotency-Key: a retry of a request already handled gets its first answer again.
    std::string request_id = random_id(20);
    ClaimGuard claim(store_);
    if (!ctx.http.idempotency_key.empty()) {
        if (!valid_idempotency_key(ctx.http.idempotency_key)) {
            return respond_.error(ctx.format,
                                  {ErrorCode::bad_request,
                                   "Idempotency-Key: expected 1 to 255 visible ASCII characters"});
        }
        const Timestamp t = now();
        const Timestamp expired_before =
            t - static_cast<Timestamp>(config_.idempotency_ttl_hours) * 3600;
        if (abuse_.last_purge.load() < t - 600) {
            abuse_.last_purge = t;
            store_.purge_idempotency_keys(expired_before);
        }
        IdempotencyRecord fresh{key->name,
                                ctx.http.idempotency_key,
                                request_fingerprint(ctx.format, form),
                                request_id,
                                t,
                                0,
                                {},
                                {}};
        auto result = store_.claim_idempotency_key(fresh, expired_before);
        if (!result.claimed) {
            auto& record = result.record;
            if (record.fingerprint != fresh.fingerprint) {
                return respond_.error(
                    ctx.format,
                    {ErrorCode::conflict,
                     "Idempotency-Key: already used with a different request; use a new key"});
            }
            if (record.status != 0) {
                return replay(record);
            }
            if (auto existing = store_.find_request(record.request_id)) {
                // The first attempt committed but died before it stored its answer.
                const CatalogueView catalogue(store_);
                const Service* service = catalogue.find(existing->service_code);
                auto answer = respond_.document(
                    format::post_response_tree(
                        *existing, service != nullptr ? service->type : ServiceType::realtime),
                    ctx.format);
                claim.hold(record);
                claim.complete(answer);
                answer.headers.emplace_back("Idempotent-Replayed", "true");
                return answer;
            }
            if (t - record.created_at < kIdempotencyStaleSeconds) {
                auto r = respond_.error(ctx.format,
                                        {ErrorCode::conflict,
                                         "Idempotency-Key: the first request with this key is "
                                         "still being handled; retry shortly"});
                r.headers.emplace_back("Retry-After", "1");
                return r;
            }
            // The first attempt died before it committed: this one takes its place, with the
            // id it reserved, so that even a late first attempt cannot add a second row.
            record.created_at = t;
            store_.renew_idempotency_key(record);
            request_id = record.request_id;
            fresh = record;
        }
        claim.hold(fresh);
    }

    auto code = form.get("service_code");
    if (!code) {
        return respond_.error(ctx.format, {ErrorCode::bad_request, "service_code: required"});
    }
    const CatalogueView catalogue(store_);
    const Service* service = catalogue.find(trim(*code));
    if (service == nullptr) {
        return respond_.error(
            ctx.format, {ErrorCode::not_found, "service_code: no service '" + trim(*code) + "'"});
    }
    if (!service->active) {
        return respond_.error(
            ctx.format,
            {ErrorCode::bad_request,
             "service_code: service '" + service->code + "' no longer accepts requests"});
    }

    ServiceRequest request;
    auto errors = validate::new_request(form, *service, config_.profile, request);
    if (!errors.empty()) {
        return respond_.errors(ctx.format, errors);
    }
    request.id = std::move(request_id);
    request.state = ModerationState::pending;
    request.status = "open";
    request.detailed_status = "RECEIVED";  // Helsinki: received, nothing done yet
    if (request.title.empty() && !request.description.empty()) {
        // CitySDK: "if not present the title is shortened from description text".
        request.title = shorten(request.description, 60);
    }
    request.requested_at = now();
    request.updated_at = request.requested_at;
    request.api_key_name = key->name;
    if (!request.submitter.email.empty()) {
        request.submitter.locale = locale_of(form);  // the language of later notifications
    }
    if (service->type == ServiceType::batch) {
        request.token = random_id(24);
    }
    // Files are checked, cleaned and stored (fsynced) before the row that refers to them is
    // committed; if anything fails, `ingest` removes what it stored.
    MediaIngest ingest(*media_);
    if (upload) {
        if (auto e = ingest.add(*upload)) {
            return respond_.error(ctx.format, *e);
        }
        request.media = ingest.files();
    }
    store_.insert_request(request);
    ingest.keep();
    auto answer = respond_.document(format::post_response_tree(request, service->type), ctx.format);
    claim.complete(answer);
    return answer;
}

}  // namespace open311::api
