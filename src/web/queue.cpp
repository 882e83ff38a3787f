// The queue (issue 14, page 1): requests newest first, counts per state, filters, paging,
// bulk publish and reject, and the CSV export of the filtered list.
#include "format/datetime.hpp"
#include "util/text.hpp"
#include "web/console.hpp"

#include <algorithm>

namespace open311::web {

namespace {

constexpr int kPageSize = 50;
constexpr const char* kStates[] = {"pending", "published", "rejected", "all"};

/// The filter a queue URL describes (every condition but the state and the page). A service
/// stands for itself and every service below it in the hierarchy ("2806" takes "2806.10.2").
RequestFilter filter_from(const form::Params& query, const std::vector<Service>& catalogue) {
    RequestFilter f;
    if (auto service = query.get("service"); service && !service->empty()) {
        const auto below = *service + ".";
        for (const auto& s : catalogue) {
            if (s.code == *service || s.code.rfind(below, 0) == 0) {
                f.service_codes.push_back(s.code);
            }
        }
        if (f.service_codes.empty()) {
            f.service_codes.push_back(*service);  // unknown: matches nothing, as asked
        }
    }
    if (auto status = query.get("status"); status == "open" || status == "closed") {
        f.statuses.push_back(*status);
    }
    if (auto from = query.get("from")) {
        if (auto day_end = format::end_of_day(*from)) {
            f.requested_from = *day_end - 86400;
        }
    }
    if (auto to = query.get("to")) {
        if (auto day_end = format::end_of_day(*to)) {
            f.requested_to = *day_end - 1;
        }
    }
    if (auto detailed = query.get("detailed_status"); detailed && !detailed->empty()) {
        f.detailed_statuses.push_back(*detailed);
    }
    if (query.get("photo") == "1") {
        f.has_media = true;
    }
    // "id:ID" finds one request; other text is words over title, description and address.
    const auto q = trim(query.get("q").value_or(""));
    if (q.rfind("id:", 0) == 0) {
        f.ids.push_back(trim(q.substr(3)));
    } else {
        f.text = q;
    }
    return f;
}

std::string state_of(const form::Params& query, const std::string& fallback) {
    auto state = query.get("state").value_or(fallback);
    return std::find(std::begin(kStates), std::end(kStates), state) != std::end(kStates) ? state
                                                                                         : fallback;
}

void set_state(RequestFilter& f, const std::string& state) {
    f.states.clear();
    if (auto s = moderation_state_from(state)) {
        f.states.push_back(*s);
    }
}

/// The query string of the queue with the same filters (for paging and the CSV link).
std::string filter_query(const form::Params& query, const std::string& state) {
    std::string out = "state=" + form::percent_encode(state);
    for (const char* name : {"service", "status", "detailed_status", "photo", "from", "to", "q"}) {
        if (auto v = query.get(name); v && !v->empty()) {
            out += std::string("&") + name + "=" + form::percent_encode(*v);
        }
    }
    return out;
}

/// The first words of a text, for a row.
std::string excerpt(const std::string& text) {
    constexpr std::size_t kLength = 80;
    if (text.size() <= kLength) {
        return text;
    }
    auto cut = text.rfind(' ', kLength);
    if (cut == std::string::npos || cut < kLength / 2) {
        cut = kLength;
        // Never cut inside a UTF-8 sequence.
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U) {
            --cut;
        }
    }
    return text.substr(0, cut) + "…";
}

std::string csv_cell(const std::string& text) {
    std::string out = "\"";
    for (char c : text) {
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    }
    // A cell starting with = + - @ would be a formula to a spreadsheet.
    if (!text.empty() && (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@')) {
        out.insert(1, "'");
    }
    return out + "\"";
}

}  // namespace

api::HttpResponse Console::queue(Call& call) const {
    const auto state = state_of(call.query, "pending");
    auto m = frame(call, "queue", "queue");
    const auto& t = m["t"];
    const auto lang = call.visitor.language;
    const auto catalogue = s_.store.catalogue_snapshot();
    auto filter = filter_from(call.query, *catalogue);

    Json tabs = Json::array();
    for (const char* s : kStates) {
        auto counting = filter;
        set_state(counting, s);
        counting.limit = 1;
        const auto total = s_.store.search_requests(counting).total;
        tabs.push_back({{"state", s},
                        {"label", t[s]},
                        {"count", std::to_string(total)},
                        {"current", state == s}});
    }
    m["tabs"] = std::move(tabs);
    m["state"] = state;

    const auto chosen_service = call.query.get("service").value_or("");
    Json services = Json::array();
    auto service_name = [&](const std::string& code) {
        for (const auto& service : *catalogue) {
            if (service.code == code) {
                return service.translation(lang, "en").name;
            }
        }
        return code;
    };
    for (const auto& service : *catalogue) {
        // Indented by level, so the hierarchy shows in the list.
        const auto depth = static_cast<std::size_t>(std::max(0, service.level() - 1));
        std::string indent;
        for (std::size_t i = 0; i < depth; ++i) {
            indent += "\u00a0\u00a0";
        }
        services.push_back({{"code", service.code},
                            {"name", indent + service.translation(lang, "en").name},
                            {"selected", service.code == chosen_service}});
    }
    m["services"] = std::move(services);
    const auto status = call.query.get("status").value_or("");
    m["status_open"] = status == "open";
    m["status_closed"] = status == "closed";
    for (const char* name : {"from", "to", "q"}) {
        m[name] = call.query.get(name).value_or("");
    }
    m["photo_only"] = call.query.get("photo") == "1";
    const auto detailed = call.query.get("detailed_status").value_or("");
    Json detailed_options = Json::array();
    for (const char* v : {"RECEIVED", "IN_PROCESS", "PROCESSED", "ARCHIVED", "REJECTED"}) {
        detailed_options.push_back({{"value", v}, {"selected", detailed == v}});
    }
    m["detailed"] = std::move(detailed_options);

    std::int64_t page = 1;
    try {
        page = std::max<std::int64_t>(1, std::stoll(call.query.get("page").value_or("1")));
    } catch (const std::exception&) {
        page = 1;
    }
    set_state(filter, state);
    filter.limit = kPageSize;
    filter.offset = (page - 1) * kPageSize;
    const auto found = s_.store.search_requests(filter);
    Json rows = Json::array();
    for (const auto& r : found.items) {
        rows.push_back({{"id", r.id},
                        {"requested", format::to_w3c(r.requested_at)},
                        {"requested_iso", format::to_w3c(r.requested_at)},
                        {"service", service_name(r.service_code)},
                        {"excerpt", excerpt(r.title.empty() ? r.description : r.title)},
                        {"address", r.address},
                        {"photo", !r.media.empty() || !r.media_urls.empty()},
                        {"state", to_string(r.state)},
                        {"state_label", t[to_string(r.state)]}});
    }
    m["has_rows"] = !rows.empty();
    m["rows"] = std::move(rows);
    const auto query = filter_query(call.query, state);
    m["query"] = query;
    m["back"] = "/staff/requests?" + query + "&page=" + std::to_string(page);
    const auto pages = std::max<std::int64_t>(1, (found.total + kPageSize - 1) / kPageSize);
    m["page"] = std::to_string(page);
    m["pages"] = std::to_string(pages);
    if (page > 1) {
        m["prev"] = "/staff/requests?" + query + "&page=" + std::to_string(page - 1);
    }
    if (page < pages) {
        m["next"] = "/staff/requests?" + query + "&page=" + std::to_string(page + 1);
    }
    if (auto done = call.query.get("done")) {
        m["flash"] = t.value("done_" + *done, "");
    }
    if (call.query.has("failed")) {
        m["error"] = t["reason_required"];
    }
    if (auto refused = call.query.get("refused")) {
        m["error"] = t["bulk_refused"].get<std::string>() + " " + *refused;
    }
    m["own_messages"] = true;  // shown in the results, which an htmx answer replaces
    if (call.http.htmx) {
        // The rows, paging and messages, and the counts per state swapped out of band.
        return view_.fragment(200, {"_queue_results", "_queue_tabs"}, std::move(m));
    }
    return view_.page(200, "queue", std::move(m));
}

api::HttpResponse Console::queue_csv(Call& call) const {
    auto filter = filter_from(call.query, *s_.store.catalogue_snapshot());
    set_state(filter, state_of(call.query, "all"));
    filter.limit = 100000;
    const auto found = s_.store.search_requests(filter);
    // Staff-only, but no submitter fields: an export leaves the console and travels.
    std::string body =
        "service_request_id,requested_datetime,service_code,state,status,detailed_status,"
        "address,title,description\r\n";
    for (const auto& r : found.items) {
        body += csv_cell(r.id) + "," + csv_cell(format::to_w3c(r.requested_at)) + "," +
                csv_cell(r.service_code) + "," + csv_cell(to_string(r.state)) + "," +
                csv_cell(r.status) + "," + csv_cell(r.detailed_status) + "," + csv_cell(r.address) +
                "," + csv_cell(r.title) + "," + csv_cell(r.description) + "\r\n";
    }
    api::HttpResponse r;
    r.content_type = "text/csv; charset=utf-8";
    r.body = std::move(body);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"requests.csv\"");
    view_.secure(r);
    return r;
}

api::HttpResponse Console::bulk_moderate(Call& call) const {
    const auto action = call.form.get("action").value_or("");
    const auto reason = trim(call.form.get("reason").value_or(""));
    auto back = call.form.get("back").value_or("/staff/requests");
    if (back.rfind("/staff/", 0) != 0 || back.find("//") != std::string::npos) {
        back = "/staff/requests";  // only ever back into the console
    }
    const char* joiner = back.find('?') == std::string::npos ? "?" : "&";
    // Without JavaScript the browser follows a redirect to the queue it came from; htmx gets
    // that queue's results at once, to swap in place.
    const auto answer = [&](const std::string& outcome) {
        const auto location = back + (outcome.empty() ? "" : joiner + outcome);
        if (!call.http.htmx) {
            return View::redirect(location);
        }
        const auto query_at = location.find('?');
        const auto query = form::parse_form(
            query_at == std::string::npos ? std::string_view{} : location.substr(query_at + 1));
        Call shown{call.http, query, {}, call.segments, call.visitor};
        return queue(shown);
    };
    if (action == "reject" && reason.empty()) {
        return answer("failed=reason");
    }
    const auto& actor = call.visitor.user.name;
    int refused = 0;
    for (const auto& id : call.form.all("id")) {
        if (action == "publish") {
            refused += s_.cases.publish(id, actor).ok() ? 0 : 1;
        } else if (action == "reject") {
            refused += s_.cases.reject(id, reason, actor).ok() ? 0 : 1;
        }
    }
    if (action != "publish" && action != "reject") {
        return answer("");
    }
    // Rows the workflow refused (a sender who did not allow publication, a request no longer
    // pending) are counted, never passed over in silence.
    return answer("done=" + action + (refused > 0 ? "&refused=" + std::to_string(refused) : ""));
}

}  // namespace open311::web
