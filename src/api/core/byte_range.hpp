#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace open311::api {

/// A byte range, both ends inclusive (RFC 9110 §14.1.2).
struct ByteRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    std::uint64_t length() const { return last - first + 1; }
};

/// What a Range header asks of a resource of a given size.
struct RangeRequest {
    enum class Kind { whole, partial, unsatisfiable } kind = Kind::whole;
    ByteRange range;
};

/// Reads a Range header ("bytes=0-99", "bytes=100-", "bytes=-500") for a resource of `size`
/// bytes. One range is honoured; several ranges, another unit or a syntax error mean the whole
/// resource, which RFC 9110 allows a server to send instead.
RangeRequest parse_range(std::string_view header, std::uint64_t size);

}  // namespace open311::api
