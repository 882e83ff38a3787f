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

}  // namespace open311::validate
