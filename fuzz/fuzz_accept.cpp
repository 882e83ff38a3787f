// The Accept header and the .json/.xml suffix of a path.
#include "api/core/router.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    open311::api::negotiate_accept(text);
    std::string path(text);
    const auto before = path.size();
    if (open311::api::strip_format_suffix(path) && path.size() >= before) {
        __builtin_trap();  // a suffix was found, so the path must have become shorter
    }
    return 0;
}
