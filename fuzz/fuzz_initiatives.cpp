// The initiatives API's client bytes: the JSONP callback check, the list query, and the
// import format (the admin API's PUT body and the import file).
#include "form/params.hpp"
#include "initiatives/import_format.hpp"
#include "initiatives/jsonp.hpp"
#include "initiatives/list_query.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace open311::initiatives;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    valid_jsonp_callback(text);
    static const Municipalities kMunicipalities({{91, "Helsinki", "Helsingfors"}}, {91});
    read_list_query(open311::form::parse_form(text), kMunicipalities);
    path_id(text);
    read_import_file(text, {5, 49, 91, 837});
    return 0;
}
