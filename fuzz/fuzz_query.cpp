// Query strings: percent-decoding and name/value splitting, then the GET requests validator.
#include "form/params.hpp"
#include "validate/search_query.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    auto params = open311::form::parse_form(text);
    open311::form::percent_decode(text, false);
    open311::validate::SearchQuery query;
    open311::validate::search_query(params, open311::Profile{}, 1700000000, query);
    return 0;
}
