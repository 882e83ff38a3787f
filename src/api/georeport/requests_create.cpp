// GeoReport v2 "POST Service Request"; Helsinki: can_be_published, title, service objects,
// moderation (every new request starts pending).
#include "api/georeport/handlers.hpp"
#include "api/guard/auth.hpp"
#include "api/guard/idempotency_claim.hpp"
#include "api/upload/form_reader.hpp"
#include "api/upload/media_ingest.hpp"
#include "format/trees.hpp"
#include "store/catalogue_view.hpp"
#include "telemetry/process_metrics.hpp"
#include "util/ip_range.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "validate/new_request.hpp"
#include "validate/public_query.hpp"

#include <algorithm>
#include <exception>
#include <memory>
#include <stdexcept>

namespace open311::api {
namespace {

/// Counts a stored new request by its state on arrival; one public at once is also published.
void count_new_request(ModerationState state) {
    auto& m = telemetry::process_metrics();
    if (state == ModerationState::published) {
        m.requests_created_published.add();
        m.requests_published.add();
    } else {
        m.requests_created_pending.add();
    }
}

/// Counts a POST's answer in its API key's usage.
void count_post_usage(UsageCounter& usage,
                      const std::string& key_name,
                      const HttpResponse& response) {
    if (key_name.empty()) {
        return;
    }
    const bool replayed =
        std::any_of(response.headers.begin(), response.headers.end(), [](const auto& h) {
            return h.first == "Idempotent-Replayed";
        });
    if (response.status == 429) {
        usage.count(key_name, UsageCounter::Event::rate_limited);
    } else if (response.status >= 400 && response.status < 500) {
        usage.count(key_name, UsageCounter::Event::rejected);
    } else if (response.status == 200 && !replayed) {
        usage.count(key_name, UsageCounter::Event::created);
    }
}

/// What a new request still needs once its row is committed: its stored media files, to
/// keep, and its Idempotency-Key claim, to complete. Dropped without that (the insert
/// failed), they remove the files and give the claim back: a store write, so this must never
/// be dropped on the store's writer thread.
struct PendingSubmission {
    PendingSubmission(Store& store, media::MediaStorage& media) : claim(store), ingest(media) {}
    ClaimGuard claim;
    MediaIngest ingest;
};

}  // namespace

std::optional<HttpResponse> GeoReportHandlers::open_post(const RequestContext& ctx,
                                                         PostForm& post) const {
    std::vector<ApiError> problems;
    auto parsed = read_form(ctx.http, s_.config, post.upload, problems);
    if (!parsed) {
        return s_.respond.errors(ctx.format, problems);
    }
    post.fields = std::move(*parsed);
    post.fields.merge(ctx.query);  // api_key and jurisdiction_id may come in the query string
    if (auto e = validate::check_jurisdiction(s_.config, post.fields)) {
        return s_.respond.error(ctx.format, *e);
    }
    ApiError refusal{};
    post.key = authenticate_form(s_.store, post.fields, refusal);
    if (!post.key) {
        return s_.respond.error(ctx.format, refusal);
    }
    return limits_.by_key(ctx, *post.key);
}

HttpResponse GeoReportHandlers::create_request(const RequestContext& ctx) const {
    // Per client address first: it is checked before any work, key or no key.
    if (auto limited = limits_.by_address(ctx)) {
        return *limited;
    }
    std::string key_name;
    auto response = create_request_limited(ctx, key_name);
    if (!response) {
        return {};  // answered later (ctx.later), and counted then
    }
    count_post_usage(s_.abuse.usage, key_name, *response);
    return std::move(*response);
}

std::optional<HttpResponse> GeoReportHandlers::create_request_limited(const RequestContext& ctx,
                                                                      std::string& key_name) const {
    PostForm post;
    auto refused = open_post(ctx, post);
    if (post.key) {
        key_name = post.key->name;
    }
    if (refused) {
        return *refused;
    }
    const auto& form = post.fields;
    const auto& key = post.key;
    const auto& upload = post.upload;

    // Idempotency-Key: a retry of a request already handled gets its first answer again.
    std::string request_id = random_id(20);
    auto submission = std::make_shared<PendingSubmission>(s_.store, *s_.media);
    ClaimGuard& claim = submission->claim;
    if (!ctx.http.idempotency_key.empty()) {
        if (!valid_idempotency_key(ctx.http.idempotency_key)) {
            return s_.respond.error(
                ctx.format,
                {ErrorCode::bad_request,
                 "Idempotency-Key: expected 1 to 255 visible ASCII characters"});
        }
        const Timestamp t = now();
        const Timestamp expired_before =
            t - static_cast<Timestamp>(s_.config.idempotency_ttl_hours) * 3600;
        if (s_.abuse.last_purge.load() < t - 600) {
            s_.abuse.last_purge = t;
            s_.store.purge_idempotency_keys(expired_before);
        }
        IdempotencyRecord fresh{key->name,
                                ctx.http.idempotency_key,
                                request_fingerprint(ctx.format, form),
                                request_id,
                                t,
                                0,
                                {},
                                {}};
        auto result = s_.store.claim_idempotency_key(fresh, expired_before);
        if (!result.claimed) {
            auto& record = result.record;
            if (record.fingerprint != fresh.fingerprint) {
                return s_.respond.error(
                    ctx.format,
                    {ErrorCode::conflict,
                     "Idempotency-Key: already used with a different request; use a new key"});
            }
            if (record.status != 0) {
                return replay(record);
            }
            if (auto existing = s_.store.find_request(record.request_id)) {
                // The first attempt committed but died before it stored its answer.
                const CatalogueView catalogue(s_.store);
                const Service* service = catalogue.find(existing->service_code);
                auto answer = s_.respond.document(
                    format::post_response_tree(
                        *existing, service != nullptr ? service->type : ServiceType::realtime),
                    ctx.format);
                claim.hold(record);
                claim.complete(answer);
                answer.headers.emplace_back("Idempotent-Replayed", "true");
                return answer;
            }
            if (t - record.created_at < kIdempotencyStaleSeconds) {
                auto r = s_.respond.error(ctx.format,
                                          {ErrorCode::conflict,
                                           "Idempotency-Key: the first request with this key is "
                                           "still being handled; retry shortly"});
                r.headers.emplace_back("Retry-After", "1");
                return r;
            }
            // The first attempt died before it committed: this one takes its place, with the
            // id it reserved, so that even a late first attempt cannot add a second row.
            record.created_at = t;
            s_.store.renew_idempotency_key(record);
            request_id = record.request_id;
            fresh = record;
        }
        claim.hold(fresh);
    }

    auto code = form.get("service_code");
    if (!code) {
        return s_.respond.error(ctx.format, {ErrorCode::bad_request, "service_code: required"});
    }
    const CatalogueView catalogue(s_.store);
    const Service* service = catalogue.find(trim(*code));
    if (service == nullptr) {
        return s_.respond.error(
            ctx.format, {ErrorCode::not_found, "service_code: no service '" + trim(*code) + "'"});
    }
    if (!service->active) {
        return s_.respond.error(
            ctx.format,
            {ErrorCode::bad_request,
             "service_code: service '" + service->code + "' no longer accepts requests"});
    }

    ServiceRequest request;
    auto errors = validate::new_request(form, *service, s_.config.profile, request);
    if (!errors.empty()) {
        return s_.respond.errors(ctx.format, errors);
    }
    request.id = std::move(request_id);
    // Post-moderation publishes at once, but never what its sender asked to keep private.
    request.state = s_.config.new_requests == NewRequests::published && request.can_be_published
                        ? ModerationState::published
                        : ModerationState::pending;
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
        request.submitter.locale =
            validate::locale_of(s_.config, form);  // the language of later notifications
    }
    if (service->type == ServiceType::batch) {
        request.token = random_id(24);
    }
    // Files are checked, cleaned and stored (fsynced) before the row that refers to them is
    // committed; if anything fails, `ingest` removes what it stored.
    MediaIngest& ingest = submission->ingest;
    if (upload) {
        if (auto e = ingest.add(*upload)) {
            return s_.respond.error(ctx.format, *e);
        }
        request.media = ingest.files();
    }
    // The answer is known before the commit (the id and token are ours), and given after it;
    // an Idempotency-Key's answer is stored in the request's own job.
    auto answer =
        s_.respond.document(format::post_response_tree(request, service->type), ctx.format);
    auto answered = claim.answered(answer);
    const ModerationState state = request.state;
    if (ctx.later == nullptr) {
        throw std::logic_error("POST requests: the router gives every handler a Later");
    }
    // Waits for the group commit without holding this thread: the store calls back (from its
    // writer thread, after the batch's COMMIT), and the rest runs on a worker. The callback
    // moves everything on, so that nothing of the request is dropped on the writer thread
    // (dropping the submission may give its claim back: a store write).
    s_.store.insert_request_then(
        std::move(request),
        std::move(answered),
        [resume = ctx.later->defer(),
         submission = std::move(submission),
         answer = std::move(answer),
         state,
         key_name,
         usage = &s_.abuse.usage](std::exception_ptr error) mutable {
            auto go = std::move(resume);
            go([submission = std::move(submission),
                answer = std::move(answer),
                state,
                key_name = std::move(key_name),
                usage,
                error]() mutable -> HttpResponse {
                if (error) {
                    submission.reset();  // files removed, claim given back, as before an answer
                    std::rethrow_exception(error);  // the error boundary answers
                }
                submission->ingest.keep();
                submission->claim.stored();
                count_new_request(state);
                count_post_usage(*usage, key_name, answer);
                return answer;
            });
        });
    return std::nullopt;
}

}  // namespace open311::api
