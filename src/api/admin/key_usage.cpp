// Staff API: per-key usage statistics (the terms of use: the city monitors and may publish
// per-application figures), admin keys only.
#include "api/admin/handlers.hpp"
#include "format/staff_trees.hpp"

#include <charconv>

namespace open311::api {

HttpResponse StaffHandlers::key_usage(const RequestContext& ctx) const {
    int days = 30;
    if (auto text = ctx.query.get("days")) {
        const auto* end = text->data() + text->size();
        auto [ptr, ec] = std::from_chars(text->data(), end, days);
        if (ec != std::errc{} || ptr != end || days < 1 || days > 366) {
            return s_.respond.error(format::Format::json,
                                    field_error("days", "expected a whole number from 1 to 366"));
        }
    }
    const auto& name = ctx.path.at("name");
    if (!s_.store.find_key_limits(name)) {
        return s_.respond.error(format::Format::json,
                                {ErrorCode::not_found, "no key named '" + name + "'"});
    }
    s_.abuse.usage.flush();  // the figures include the last few seconds
    return s_.respond.json(format::staff_key_usage(name, days, s_.store.key_usage(name, days)));
}

}  // namespace open311::api
