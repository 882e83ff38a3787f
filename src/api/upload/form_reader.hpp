#pragma once

#include "api/core/http_types.hpp"
#include "api/upload/uploaded_form.hpp"

#include "open311/config.hpp"
#include "open311/errors.hpp"

#include <memory>
#include <optional>
#include <vector>

namespace open311::api {

/// The one reader of POST forms (new requests, updates): the fields of an urlencoded body, or
/// of a multipart body with its files in `upload`. A multipart body comes spooled by the
/// transport (`http.form`); one still in memory is spooled here the same way, so both paths
/// check the same limits. Nullopt, with `problems` set, when the body is not a form, was
/// refused while it was read, or holds fields that could not be decoded (one error for each,
/// naming it: a malformed percent-escape, or text that is not UTF-8).
std::optional<form::Params> read_form(const HttpRequest& http,
                                      const Config& config,
                                      std::shared_ptr<UploadedForm>& upload,
                                      std::vector<ApiError>& problems);

}  // namespace open311::api
