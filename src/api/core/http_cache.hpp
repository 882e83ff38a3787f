#pragma once

#include "api/core/http_types.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace open311::api {

/// Bodies smaller than this are sent as they are: gzip would save a few bytes for more CPU.
constexpr std::size_t kGzipMinBytes = 1024;

/// The strong entity tag of a body: a quoted 64-bit hash in hex.
std::string entity_tag(std::string_view body);

/// True when the If-None-Match header value names `tag` (or is "*"). Weak tags (W/"…")
/// match too: If-None-Match uses the weak comparison (RFC 9110 §13.1.2).
bool none_match_hits(std::string_view if_none_match, std::string_view tag);

/// True when Accept-Encoding allows gzip (named, or "*", with a q-value above 0).
bool accepts_gzip(std::string_view accept_encoding);

/// HTTP caching and compression for a successful GET/HEAD answer: sets ETag, turns the
/// answer into 304 Not Modified when If-None-Match names it, and compresses a large body
/// with gzip when the client accepts it (the gzip variant gets a tag of its own). Every
/// answer that may vary says so in Vary. Other answers, and answers whose handler set an ETag
/// of its own (a record version), are left alone.
void apply_http_cache(const HttpRequest& request, HttpResponse& response);

}  // namespace open311::api
