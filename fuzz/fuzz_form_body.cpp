// application/x-www-form-urlencoded bodies of POST /requests: decoding, then the validator of
// new requests against every service of the demo catalogue, in both profiles.
#include "catalogue/catalogue_file.hpp"
#include "form/params.hpp"
#include "util/embedded.hpp"
#include "validate/new_request.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {
const std::vector<open311::Service>& services() {
    static const auto all = open311::catalogue::parse_catalogue(
        std::string(open311::embedded_demo_catalogue().front().content));
    return all;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const auto& all = services();
    const auto& service = all[data[0] % all.size()];
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    auto form = open311::form::parse_form(text);
    static const auto helsinki = open311::profile_by_name("helsinki").value();
    open311::ServiceRequest out;
    open311::validate::new_request(
        form, service, (data[0] & 0x80) ? helsinki : open311::Profile{}, out);
    return 0;
}
