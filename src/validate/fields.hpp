#pragma once

#include "form/params.hpp"

#include "open311/errors.hpp"

#include <string>
#include <vector>

namespace open311::validate {

/// A 400 with `text`, which names the field it is about.
inline ApiError bad(std::string text) {
    return {ErrorCode::bad_request, std::move(text)};
}

/// Reads a free-text form field: valid UTF-8 without control characters, trimmed, at most
/// `max` characters, optionally without HTML. Missing → "". Each problem names the field.
std::string text_field(const form::Params& form,
                       const std::string& name,
                       std::size_t max,
                       bool forbid_html,
                       std::vector<ApiError>& errors);

/// The submitter's e-mail address (checked as one) and names (no markup), the personal fields
/// new requests and updates share.
void read_contact(const form::Params& form,
                  std::string& email,
                  std::string& first_name,
                  std::string& last_name,
                  std::vector<ApiError>& errors);

/// A plausible e-mail address (one @, a dotted domain, no spaces or brackets).
bool valid_email(const std::string& email);

/// An absolute http:// or https:// URL without spaces or quotes, of reasonable length.
bool valid_http_url(const std::string& url);

/// A `media_url` of a new request (Helsinki: "URL links must end with a correct filetype like
/// .jpg"): a valid_http_url whose path ends in .jpg, .jpeg, .png, .gif or .webp, in any case.
/// A query string or fragment may follow the path.
bool valid_media_url(const std::string& url);

/// One 400 for each parameter that could not be decoded (`form::Params::malformed()`: a
/// malformed percent-escape, or not UTF-8), each naming it; empty when there is none.
std::vector<ApiError> encoding_errors(const form::Params& params);

}  // namespace open311::validate
