// Staff API: per-key usage statistics (the terms of use: the city monitors and may publish
// per-application figures). Admin keys only.
#include "api/handlers.hpp"

#include <charconv>

namespace open311::api {

HttpResponse Handlers::admin_key_usage(const RequestContext& ctx) const {
    std::string who;
    if (auto denied = require_role(ctx, Role::admin, who)) {
        return *denied;
    }
    int days = 30;
    if (auto text = ctx.query.get("days")) {
        const auto* end = text->data() + text->size();
        auto [ptr, ec] = std::from_chars(text->data(), end, days);
        if (ec != std::errc{} || ptr != end || days < 1 || days > 366) {
            return respond_.error(
                format::Format::json,
                {ErrorCode::bad_request, "days: expected a whole number from 1 to 366"});
        }
    }
    const auto& name = ctx.path.at("name");
    if (!store_.find_key_limits(name)) {
        return respond_.error(format::Format::json,
                              {ErrorCode::not_found, "no key named '" + name + "'"});
    }
    abuse_.usage.flush();  // the figures include the last few seconds
    nlohmann::ordered_json totals = {{"created", 0}, {"rejected", 0}, {"rate_limited", 0}};
    auto list = nlohmann::ordered_json::array();
    for (const auto& u : store_.key_usage(name, days)) {
        list.push_back({{"day", u.day},
                        {"created", u.created},
                        {"rejected", u.rejected},
                        {"rate_limited", u.rate_limited}});
        totals["created"] = totals["created"].get<std::int64_t>() + u.created;
        totals["rejected"] = totals["rejected"].get<std::int64_t>() + u.rejected;
        totals["rate_limited"] = totals["rate_limited"].get<std::int64_t>() + u.rate_limited;
    }
    nlohmann::ordered_json body;
    body["name"] = name;
    body["days"] = days;
    body["totals"] = std::move(totals);
    body["usage"] = std::move(list);
    return respond_.json(body);
}

}  // namespace open311::api
