// W3C datetimes (start_date, updated_after, …): parsing, and formatting what was parsed.
#include "format/datetime.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    if (auto t = open311::format::parse_w3c(text)) {
        // What we print we must read back as the same instant.
        const auto again = open311::format::parse_w3c(open311::format::to_w3c(*t));
        if (!again || *again != *t) {
            __builtin_trap();
        }
        open311::format::to_date(*t);
    }
    open311::format::end_of_day(text);
    return 0;
}
