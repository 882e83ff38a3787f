#include "api/upload/form_reader.hpp"

#include "api/upload/upload_spool.hpp"
#include "util/text.hpp"
#include "validate/fields.hpp"

namespace open311::api {

namespace {

std::optional<form::Params> read_fields(const HttpRequest& http,
                                        const Config& config,
                                        std::shared_ptr<UploadedForm>& upload,
                                        std::vector<ApiError>& problems) {
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
            problems.push_back(*upload->error);
            return std::nullopt;
        }
        return upload->fields;
    }
    if (type == "application/x-www-form-urlencoded" ||
        (type.empty() && !http.body.empty() && http.body.find('=') != std::string::npos)) {
        return form::parse_form(http.body);
    }
    if (type.empty()) {
        return form::Params{};
    }
    problems.push_back(
        ApiError{ErrorCode::bad_request,
                 "Content-Type must be application/x-www-form-urlencoded or multipart/form-data"});
    return std::nullopt;
}

}  // namespace

std::optional<form::Params> read_form(const HttpRequest& http,
                                      const Config& config,
                                      std::shared_ptr<UploadedForm>& upload,
                                      std::vector<ApiError>& problems) {
    auto fields = read_fields(http, config, upload, problems);
    // A field that could not be decoded (a malformed escape; text parts that are not UTF-8)
    // is refused by name before anything reads it: a key, a service code or a description
    // must not be taken for something the client did not send.
    if (fields && !fields->malformed().empty()) {
        problems = validate::encoding_errors(*fields);
        return std::nullopt;
    }
    return fields;
}

}  // namespace open311::api
