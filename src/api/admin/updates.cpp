// Staff API: the queue of client updates awaiting moderation.
#include "api/admin/handlers.hpp"
#include "format/staff_trees.hpp"
#include "format/workflow_trees.hpp"
#include "util/text.hpp"

namespace open311::api {

HttpResponse StaffHandlers::list_updates(const RequestContext& ctx) const {
    UpdateFilter filter;
    if (auto state = ctx.query.get("state")) {
        auto parsed = moderation_state_from(to_lower(trim(*state)));
        if (!parsed) {
            return s_.respond.error(
                format::Format::json,
                field_error("state", "expected pending, published or rejected"));
        }
        filter.states = {*parsed};
    }
    return s_.respond.json(format::staff_update_list(s_.store.search_updates(filter)));
}

HttpResponse StaffHandlers::publish_update(const RequestContext& ctx) const {
    auto outcome = s_.cases.publish_update(ctx.path.at("id"), ctx.actor);
    if (!outcome.ok()) {
        return s_.respond.errors(format::Format::json, outcome.errors);
    }
    return s_.respond.json(format::staff_update(*outcome.value));
}

HttpResponse StaffHandlers::reject_update(const RequestContext& ctx) const {
    auto outcome = s_.cases.reject_update(ctx.path.at("id"), ctx.actor);
    if (!outcome.ok()) {
        return s_.respond.errors(format::Format::json, outcome.errors);
    }
    return s_.respond.json(format::staff_update(*outcome.value));
}

}  // namespace open311::api
