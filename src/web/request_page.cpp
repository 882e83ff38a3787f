// The request page (issue 14, page 2): every field, personal ones included; photos; the map;
// the history from the audit trail and the updates; moderation, the status form with its
// conflict message, and the submitter's e-mails.
#include "api/core/context.hpp"
#include "api/core/media_reply.hpp"
#include "format/datetime.hpp"
#include "util/text.hpp"
#include "web/console.hpp"
#include "workflow/notes.hpp"

#include "open311/domain/status_map.hpp"

#include <cstdio>

namespace open311::web {

namespace {

constexpr const char* kMainDetailed[] = {
    "RECEIVED", "IN_PROCESS", "PROCESSED", "ARCHIVED", "REJECTED"};

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
    std::string out;
    for (const auto& p : parts) {
        out += (out.empty() ? "" : separator) + p;
    }
    return out;
}

std::string coordinate(double value) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6f", value);
    return buffer;
}

/// A human line for one audit entry: its action and, for moderation and notes, the text.
std::string note_of(const AuditEntry& line) {
    try {
        const auto detail = nlohmann::json::parse(line.detail);
        const auto& after = detail.value("after", nlohmann::json::object());
        for (const char* key : {"internal_note", "reject_reason", "status_notes", "reason"}) {
            if (after.is_object() && after.contains(key) && after[key].is_string()) {
                return after[key].get<std::string>();
            }
        }
    } catch (const std::exception&) {
        // An unreadable detail shows no note.
    }
    return "";
}

}  // namespace

api::HttpResponse Console::request_page(Call& call,
                                        const std::string& id,
                                        int status,
                                        const std::string& error,
                                        const std::string& flash) const {
    auto found = s_.store.find_request(id);
    if (!found) {
        return refusal(call, 404, "not_found");
    }
    const auto& r = *found;
    auto m = frame(call, "request", "queue");
    const auto& t = m["t"];
    const auto& lang = call.visitor.language;
    const auto service = s_.store.find_service(r.service_code);

    Json req;
    req["id"] = r.id;
    req["state"] = to_string(r.state);
    req["state_label"] = t[to_string(r.state)];
    req["version"] = std::to_string(r.version);
    req["status_notes"] = r.status_notes;
    req["agency_responsible"] = r.agency_responsible;
    req["expected_date"] = r.expected_at ? format::to_date(*r.expected_at) : "";
    m["is_open"] = r.status == "open";
    m["r"] = req;
    m["can_publish"] = r.state != ModerationState::published;
    m["can_reject"] = r.state == ModerationState::pending;
    m["can_unpublish"] = r.state == ModerationState::published;

    Json fields = Json::array();
    auto field = [&](const std::string& name, const std::string& label, const std::string& v) {
        fields.push_back({{"name", name}, {"label", label}, {"value", v}});
    };
    field("service",
          t["service"],
          service ? service->translation(lang, "en").name + " (" + r.service_code + ")"
                  : r.service_code);
    field("status", t["status"], t.value(r.status, r.status));
    field("detailed_status", t["detailed_status"], r.detailed_status);
    field("title", t["title"], r.title);
    field("description", t["description"], r.description);
    field("address", t["address"], r.address);
    field("requested", t["requested"], format::to_w3c(r.requested_at));
    field("updated", t["updated"], format::to_w3c(r.updated_at));
    field("can_be_published", t["can_be_published"], r.can_be_published ? t["yes"] : t["no"]);
    if (!r.reject_reason.empty()) {
        field("reject_reason", t["reject_reason"], r.reject_reason);
    }
    if (!r.media_urls.empty()) {
        field("media_urls", t["media_urls"], join(r.media_urls, " "));
    }
    m["fields"] = std::move(fields);

    Json submitter = Json::array();
    auto person = [&](const std::string& label, const std::string& v) {
        if (!v.empty()) {
            submitter.push_back({{"label", label}, {"value", v}});
        }
    };
    person(t["email"], r.submitter.email);
    person(t["first_name"], r.submitter.first_name);
    person(t["last_name"], r.submitter.last_name);
    person(t["phone"], r.submitter.phone);
    m["submitter"] = std::move(submitter);

    Json attributes = Json::array();
    for (const auto& answer : r.attributes) {
        std::string label = answer.code;
        std::vector<std::string> values = answer.values;
        if (service) {
            for (const auto& a : service->attributes) {
                if (a.code != answer.code) {
                    continue;
                }
                if (auto d = pick_locale(a.description, lang, "en"); !d.empty()) {
                    label = d;
                }
                for (auto& v : values) {
                    for (const auto& option : a.values) {
                        if (option.key == v) {
                            v = pick_locale(option.name, lang, "en");
                        }
                    }
                }
            }
        }
        attributes.push_back({{"label", label}, {"value", join(values, ", ")}});
    }
    m["has_attributes"] = !attributes.empty();
    m["attributes"] = std::move(attributes);

    Json detailed = Json::array();
    for (const char* v : kMainDetailed) {
        detailed.push_back({{"value", v}, {"selected", false}});
    }
    m["detailed"] = std::move(detailed);

    Json photos = Json::array();
    for (const auto& file : r.media) {
        photos.push_back({{"id", r.id},
                          {"name", file.name},
                          {"url", "/staff/media/" + file.name},
                          {"csrf", call.visitor.session.csrf_token}});
    }
    m["has_photos"] = !photos.empty();
    m["photos"] = std::move(photos);

    if (r.lat && r.lon) {
        m["has_location"] = true;
        m["map"] = true;
        m["r"]["lat"] = coordinate(*r.lat);
        m["r"]["lon"] = coordinate(*r.lon);
        m["tiles"] = s_.config.console.tile_url;
        m["attribution"] = s_.config.console.tile_attribution;
    }

    Json emails = Json::array();
    for (const auto& n : s_.store.list_request_notifications(r.id)) {
        emails.push_back({{"created", format::to_w3c(n.created_at)},
                          {"recipient", n.recipient},
                          {"subject", n.subject},
                          {"state", to_string(n.state)},
                          {"error", n.last_error},
                          {"failed", n.state == DeliveryState::failed},
                          {"seq", std::to_string(n.seq)},
                          {"request_id", r.id},
                          {"csrf", call.visitor.session.csrf_token}});
    }
    m["has_emails"] = !emails.empty();
    m["emails"] = std::move(emails);

    // The history: audit lines and updates, oldest first.
    std::vector<std::pair<Timestamp, Json>> events;
    for (const auto& line : s_.store.list_request_audit(r.id)) {
        events.emplace_back(
            line.at, Json{{"actor", line.actor}, {"action", line.action}, {"note", note_of(line)}});
    }
    for (const auto& u : s_.store.list_request_updates(r.id)) {
        const std::string who = u.source == UpdateSource::client ? "client" : u.api_key_name;
        events.emplace_back(
            u.at,
            Json{{"actor", who},
                 {"action", std::string("update (") + to_string(u.state) + ", " + u.status + ")"},
                 {"note", u.description}});
    }
    std::stable_sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
        return a.first < b.first;
    });
    Json timeline = Json::array();
    for (auto& [at, event] : events) {
        event["when"] = format::to_w3c(at);
        event["iso"] = format::to_w3c(at);
        timeline.push_back(std::move(event));
    }
    m["timeline"] = std::move(timeline);

    if (!error.empty()) {
        m["error"] = error;
    }
    if (!flash.empty()) {
        m["flash"] = flash;
    } else if (auto done = call.query.get("done")) {
        m["flash"] = t.value("done_" + *done, "");
    }
    m["own_messages"] = true;  // inside the view, which an htmx answer replaces
    if (call.http.htmx) {
        return view_.fragment(status, {"request"}, std::move(m));
    }
    return view_.page(status, "request", std::move(m));
}

api::HttpResponse Console::done(Call& call,
                                const std::string& id,
                                const std::string& action) const {
    if (call.http.htmx) {
        // htmx swaps the request's view in place: no redirect, no second request.
        return request_page(
            call, id, 200, {}, messages(call.visitor.language).value("done_" + action, ""));
    }
    return View::redirect("/staff/requests/" + id + "?done=" + action);
}

api::HttpResponse Console::request_action(Call& call,
                                          const std::string& id,
                                          const std::string& action) const {
    const auto& actor = call.visitor.user.name;
    workflow::Outcome<ServiceRequest> outcome;
    if (action == "publish") {
        outcome = s_.cases.publish(id, actor);
    } else if (action == "unpublish") {
        outcome = s_.cases.unpublish(id, actor);
    } else {
        const auto reason = trim(call.form.get("reason").value_or(""));
        if (reason.empty()) {
            const auto& t = messages(call.visitor.language);
            return request_page(call, id, 400, t["reason_required"]);
        }
        outcome = s_.cases.reject(id, reason, actor);
    }
    if (!outcome.ok()) {
        const auto& e = outcome.errors.front();
        if (e.code == ErrorCode::not_found) {
            return refusal(call, 404, "not_found");
        }
        return request_page(call, id, http_status(e.code), e.description);
    }
    return done(call, id, action);
}

api::HttpResponse Console::save_status(Call& call, const std::string& id) const {
    auto current = s_.store.find_request(id);
    if (!current) {
        return refusal(call, 404, "not_found");
    }
    const auto& f = call.form;
    RequestEdit edit;
    if (auto status = f.get("status"); status == "open" || status == "closed") {
        edit.status = *status;
    }
    if (auto chosen = trim(f.get("detailed_status").value_or("")); !chosen.empty()) {
        // The chosen main value replaces the current one; PUBLIC_WORKS_* values stay.
        std::vector<std::string> values{chosen};
        for (const auto& v : split_detailed_status(current->detailed_status)) {
            if (!is_main_detailed_status(v)) {
                values.push_back(v);
            }
        }
        edit.detailed_status = std::move(values);
    }
    if (auto notes = f.get("status_notes"); notes && *notes != current->status_notes) {
        edit.status_notes = *notes;
    }
    if (auto agency = f.get("agency_responsible");
        agency && *agency != current->agency_responsible) {
        edit.agency_responsible = *agency;
    }
    if (auto date = trim(f.get("expected_date").value_or("")); !date.empty()) {
        auto day_end = format::end_of_day(date);
        if (!day_end) {
            return request_page(call, id, 400, "expected_date: expected a date YYYY-MM-DD");
        }
        edit.expected_at = std::optional<Timestamp>(*day_end - 86400);
    } else if (current->expected_at) {
        edit.expected_at = std::optional<Timestamp>();
    }
    std::optional<std::int64_t> seen;
    try {
        seen = std::stoll(f.get("version").value_or(""));
    } catch (const std::exception&) {
        seen = std::nullopt;  // no precondition: the change applies to the current version
    }
    const auto& actor = call.visitor.user.name;
    auto outcome = s_.cases.edit(id, edit, seen, actor);
    if (!outcome.ok()) {
        const auto& e = outcome.errors.front();
        if (outcome.current_version || e.code == ErrorCode::conflict) {
            const auto& t = messages(call.visitor.language);
            return request_page(call, id, 409, t["conflict"]);
        }
        return request_page(call, id, http_status(e.code), e.description);
    }
    if (auto note = trim(f.get("internal_note").value_or("")); !note.empty()) {
        auto noted = workflow::add_internal_note(s_.store, id, note, actor);
        if (!noted.ok()) {
            return request_page(call, id, 400, noted.errors.front().description);
        }
    }
    return done(call, id, "save");
}

api::HttpResponse Console::remove_photo(Call& call,
                                        const std::string& id,
                                        const std::string& name) const {
    const auto reason = trim(call.form.get("reason").value_or(""));
    if (reason.empty()) {
        const auto& t = messages(call.visitor.language);
        return request_page(call, id, 400, t["reason_required"]);
    }
    const auto& actor = call.visitor.user.name;
    auto outcome = s_.cases.remove_media(id, name, actor, reason);
    if (!outcome.ok()) {
        return refusal(call, 404, "not_found");
    }
    return done(call, id, "remove_photo");
}

api::HttpResponse Console::resend_email(Call& call,
                                        const std::string& id,
                                        const std::string& seq) const {
    std::int64_t number = 0;
    try {
        number = std::stoll(seq);
    } catch (const std::exception&) {
        return refusal(call, 404, "not_found");
    }
    auto outcome = workflow::resend_notification(s_.store, id, number, call.visitor.user.name);
    if (!outcome.ok()) {
        const auto& e = outcome.errors.front();
        if (e.code == ErrorCode::not_found) {
            return refusal(call, 404, "not_found");
        }
        return request_page(call, id, http_status(e.code), e.description);
    }
    return done(call, id, "resend");
}

api::HttpResponse Console::photo(Call& call, const std::string& name) const {
    api::RequestContext ctx{call.http, format::Format::json, {}, {{"name", name}}, {}, {}};
    auto r = api::serve_media(ctx, s_.store, s_.respond, *s_.media, false, "private, no-store");
    view_.secure(r);
    return r;
}

}  // namespace open311::web
