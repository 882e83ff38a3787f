// Staff API: the audit trail across everything (requests, updates, catalogue, keys), newest
// first, paged by a cursor: the trail only grows at the head, so offsets would shift while
// someone pages through it.
#include "api/admin/handlers.hpp"
#include "format/datetime.hpp"
#include "format/staff_trees.hpp"
#include "util/text.hpp"

namespace open311::api {

namespace {

constexpr int kDefaultLimit = 100;
constexpr int kMaxLimit = 1000;
constexpr std::size_t kMaxTextLength = 200;

}  // namespace

HttpResponse StaffHandlers::audit(const RequestContext& ctx) const {
    std::vector<ApiError> errors;
    AuditFilter filter;
    auto text = [&](const char* name, std::string& out) {
        if (auto v = ctx.query.get(name)) {
            if (v->size() > kMaxTextLength) {
                errors.push_back(
                    {ErrorCode::bad_request, std::string(name) + ": at most 200 characters"});
            } else {
                out = *v;
            }
        }
    };
    text("request_id", filter.request_id);
    text("actor", filter.actor);
    text("action", filter.action);
    if (auto since = ctx.query.get("since")) {
        filter.since = format::parse_w3c(*since);
        if (!filter.since) {
            errors.push_back({ErrorCode::bad_request,
                              "since: expected a W3C datetime with offset, e.g. "
                              "2026-11-01T00:00:00Z"});
        }
    }
    if (auto before = ctx.query.get("before")) {
        filter.before = *before;  // a cursor of the store's; it alone can tell a made-up one
    }
    filter.limit = kDefaultLimit;
    if (auto limit = ctx.query.get("limit")) {
        auto n = parse_integer(*limit);
        if (!n || *n < 1 || *n > kMaxLimit) {
            errors.push_back(
                {ErrorCode::bad_request, "limit: expected a whole number from 1 to 1000"});
        } else {
            filter.limit = static_cast<int>(*n);
        }
    }
    const int page = filter.limit;
    filter.limit = page + 1;  // one more tells whether another page follows
    std::vector<AuditEntry> lines;
    if (errors.empty() || !filter.before.empty()) {
        try {
            lines = s_.store.search_audit(filter);
        } catch (const StoreError& e) {
            if (e.code() != StoreErrc::invalid_token) {
                throw;
            }
            errors.push_back(
                {ErrorCode::bad_request, "before: expected the next_before of the previous page"});
        }
    }
    if (!errors.empty()) {
        return s_.respond.errors(format::Format::json, errors);
    }
    const bool more = lines.size() > static_cast<std::size_t>(page);
    if (more) {
        lines.pop_back();
    }
    if (!more) {
        return s_.respond.json(format::staff_audit_page(lines, std::nullopt));
    }
    return s_.respond.json(format::staff_audit_page(lines, s_.store.audit_cursor(lines.back())));
}

}  // namespace open311::api
