#include "api/upload/form_reader.hpp"

#include "api/upload/upload_spool.hpp"
#include "util/text.hpp"

namespace open311::api {

std::optional<form::Params> read_form(const HttpRequest& http,
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
        return form::parse_form(http.body);
    }
    if (type.empty()) {
        return form::Params{};
    }
    problem =
        ApiError{ErrorCode::bad_request,
                 "Content-Type must be application/x-www-form-urlencoded or multipart/form-data"};
    return std::nullopt;
}

}  // namespace open311::api
