#pragma once

#include "api/core/http_types.hpp"
#include "api/upload/uploaded_form.hpp"

#include "open311/config.hpp"
#include "open311/errors.hpp"

#include <memory>
#include <optional>

namespace open311::api {

/// The one reader of POST forms (new requests, updates): the fields of an urlencoded body, or
/// of a multipart body with its files in `upload`. A multipart body comes spooled by the
/// transport (`http.form`); one still in memory is spooled here the same way, so both paths
/// check the same limits. Nullopt, with `problem` set, when the body is not a form or was
/// refused while it was read.
std::optional<form::Params> read_form(const HttpRequest& http,
                                      const Config& config,
                                      std::shared_ptr<UploadedForm>& upload,
                                      std::optional<ApiError>& problem);

}  // namespace open311::api
