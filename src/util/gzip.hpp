#pragma once

#include <string>
#include <string_view>

namespace open311 {

/// `data` as a gzip member (RFC 1952), at a fast compression level: answers are compressed on
/// the fly, so speed matters more than the last few percent of size.
std::string gzip_compress(std::string_view data);

/// The inverse, for tests; throws std::runtime_error on malformed input.
std::string gzip_decompress(std::string_view data);

}  // namespace open311
