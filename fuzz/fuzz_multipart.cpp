// multipart/form-data bodies: the first line is the Content-Type header value (with its
// boundary), the rest the body.
#include "form/params.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const auto newline = input.find('\n');
    const auto content_type = input.substr(0, newline);
    const auto body =
        newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
    open311::form::header_parameter(content_type, "boundary");
    auto parsed = open311::form::parse_multipart(body, content_type);
    if (parsed) {
        for (const auto& file : parsed->files) {
            // Every part lies inside the body it came from.
            if (file.data.size() > body.size()) {
                __builtin_trap();
            }
        }
    }
    return 0;
}
