// GeoReport v2 "POST Service Request"; Helsinki: can_be_published, title, service objects,
// moderation (every new request starts pending).
#include "api/auth.hpp"
#include "api/catalogue_view.hpp"
#include "api/handlers.hpp"
#include "api/media_ingest.hpp"
#include "api/upload_spool.hpp"
#include "format/trees.hpp"
#include "util/random.hpp"
#include "util/text.hpp"
#include "validate/new_request.hpp"

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

}  // namespace

HttpResponse Handlers::create_request(const RequestContext& ctx) const {
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
    request.id = random_id(20);
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
    return respond_.document(format::post_response_tree(request, service->type), ctx.format);
}

}  // namespace open311::api
