// attribute[CODE] and attribute[CODE][] keys of a new request: each input line is one
// "name=value" pair, kept raw (no percent-decoding), checked against a service with every
// attribute datatype.
#include "catalogue/catalogue_file.hpp"
#include "util/embedded.hpp"
#include "validate/new_request.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace {
const open311::Service& service_with_attributes() {
    static const auto all = open311::catalogue::parse_catalogue(
        std::string(open311::embedded_demo_catalogue().front().content));
    const open311::Service* best = &all.front();
    for (const auto& s : all) {
        if (s.attributes.size() > best->attributes.size()) {
            best = &s;
        }
    }
    return *best;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input(reinterpret_cast<const char*>(data), size);
    open311::form::Params form;
    form.add("description", "fuzz");
    form.add("lat", "60.17");
    form.add("long", "24.94");
    while (!input.empty()) {
        const auto end = input.find('\n');
        const auto line = input.substr(0, end);
        const auto eq = line.find('=');
        form.add(std::string(line.substr(0, eq)),
                 eq == std::string_view::npos ? std::string() : std::string(line.substr(eq + 1)));
        input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    }
    open311::ServiceRequest out;
    open311::validate::new_request(form, service_with_attributes(), open311::Profile{}, out);
    return 0;
}
