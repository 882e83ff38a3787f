// The sandbox's control API. Every answer is JSON; every error names its field, as the API's
// do. Injected faults answer in the format the faulted request asked for.
#include "sandbox/control.hpp"

#include "api/core/router.hpp"
#include "format/datetime.hpp"
#include "format/trees.hpp"
#include "store/sqlite/snapshot.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "util/text.hpp"
#include "validate/request_edit.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <thread>

namespace open311::sandbox {
namespace {

using api::HttpRequest;
using api::HttpResponse;
using api::Method;
using api::RequestContext;
using nlohmann::json;
using nlohmann::ordered_json;

/// The body as a JSON object; an empty body is an empty object.
std::optional<json> object_body(const RequestContext& ctx, std::vector<ApiError>& errors) {
    if (trim(ctx.http.body).empty()) {
        return json::object();
    }
    auto body = json::parse(ctx.http.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) {
        errors.push_back(field_error("body", "expected a JSON object"));
        return std::nullopt;
    }
    return body;
}

/// Refuses every key of `body` not in `known`, by name.
void only_known(const json& body,
                std::initializer_list<std::string_view> known,
                std::vector<ApiError>& errors) {
    for (const auto& item : body.items()) {
        if (std::find(known.begin(), known.end(), item.key()) == known.end()) {
            std::string names;
            for (auto k : known) {
                names += (names.empty() ? "" : ", ") + std::string(k);
            }
            errors.push_back(field_error(item.key(), "unknown field; expected " + names));
        }
    }
}

/// An optional whole number field within [min, max]; `fallback` when absent.
int whole(const json& body,
          const char* name,
          int min,
          int max,
          int fallback,
          std::vector<ApiError>& errors) {
    if (!body.contains(name)) {
        return fallback;
    }
    const auto& v = body[name];
    if (!v.is_number_integer() || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max) {
        errors.push_back(field_error(
            name,
            "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max)));
        return fallback;
    }
    return v.get<int>();
}

ordered_json fault_json(const Fault& f) {
    return {{"match", f.method + " " + f.path},
            {"status", f.status},
            {"times", f.times},
            {"delay_ms", f.delay_ms},
            {"applied", f.applied}};
}

}  // namespace

Control::Control(const Config& config,
                 store::SqliteStore& store,
                 std::shared_ptr<const store::Snapshot> seed_state,
                 SandboxClock& clock)
    : config_(config),
      store_(store),
      seed_state_(std::move(seed_state)),
      clock_(clock),
      respond_(config),
      media_(media::make_storage(config)),
      cases_(config, store, *media_),
      faults_(config.base_path) {
    auto bind = [this](HttpResponse (Control::*f)(const RequestContext&)) {
        return [this, f](const RequestContext& ctx) {
            return (this->*f)(ctx);
        };
    };
    routes_.add(Method::post, "/reset", bind(&Control::reset));
    routes_.add(Method::get, "/clock", bind(&Control::get_clock));
    routes_.add(Method::post, "/clock", bind(&Control::set_clock));
    routes_.add(Method::post, "/requests/{id}/transition", bind(&Control::transition));
    routes_.add(Method::post, "/tokens/{token}/resolve", bind(&Control::resolve_token));
    routes_.add(Method::get, "/journal", bind(&Control::journal));
    routes_.add(Method::get, "/faults", bind(&Control::list_faults));
    routes_.add(Method::post, "/faults", bind(&Control::add_fault));
    routes_.add(Method::delete_, "/faults", bind(&Control::clear_faults));
}

std::optional<HttpResponse> Control::intercept(const HttpRequest& request) {
    const std::string_view target = request.target;
    std::string path = api::percent_decode(target.substr(0, target.find('?')), false);
    if (path == kPrefix || path.rfind(std::string(kPrefix) + "/", 0) == 0) {
        return control(request, path.substr(kPrefix.size()));
    }
    return fault(request);
}

void Control::observe(const HttpRequest& request,
                      const HttpResponse& response,
                      std::chrono::microseconds took) {
    // The journal shows what the client under test sent, not the test's own control calls.
    if (request.target.rfind(std::string(kPrefix) + "/", 0) != 0) {
        journal_.record(request, response, took, clock_.now());
    }
}

HttpResponse Control::control(const HttpRequest& request, std::string path) {
    RequestContext ctx{request, format::Format::json, {}, {}, {}, {}};
    if (auto question = request.target.find('?'); question != std::string::npos) {
        ctx.query = api::parse_form(std::string_view(request.target).substr(question + 1));
    }
    auto match = routes_.match(request.method == Method::head ? Method::get : request.method, path);
    HttpResponse r;
    if (!match) {
        r = respond_.error(format::Format::json,
                           {ErrorCode::not_found, "no such sandbox resource: " + path});
    } else if (match->handler == nullptr) {
        r = respond_.error(format::Format::json,
                           {ErrorCode::method_not_allowed, "method not allowed here"});
        std::string allow;
        for (auto m : match->allowed) {
            allow += (allow.empty() ? "" : ", ") + std::string(api::to_string(m));
        }
        r.headers.emplace_back("Allow", allow);
    } else {
        ctx.path = std::move(match->params);
        ctx.route = match->pattern;
        r = (*match->handler)(ctx);
    }
    r.route = std::string(kPrefix) + (match ? match->pattern : std::string("(unmatched)"));
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

std::optional<HttpResponse> Control::fault(const HttpRequest& request) {
    const std::string method =
        request.method_name.empty() ? api::to_string(request.method) : request.method_name;
    auto f = faults_.take(method, request.target);
    if (!f) {
        return std::nullopt;
    }
    if (f->delay_ms > 0) {
        // Holds this request's thread, as a slow server would.
        std::this_thread::sleep_for(std::chrono::milliseconds(f->delay_ms));
    }
    if (f->status == 0) {
        return std::nullopt;  // a delay alone: the API answers as usual
    }
    std::string path = request.target.substr(0, request.target.find('?'));
    const auto suffix = api::strip_format_suffix(path);
    const auto fmt = suffix ? *suffix : api::negotiate_accept(request.accept);
    auto r = respond_.document(
        format::errors_tree({{f->status,
                              "fault injected by open311d sandbox (" + std::to_string(f->applied) +
                                  " of " + std::to_string(f->times) + ")"}}),
        fmt,
        f->status);
    if (f->status == 503 || f->status == 429) {
        r.headers.emplace_back("Retry-After", "1");
    }
    r.route = "(sandbox fault)";
    return r;
}

HttpResponse Control::reset(const RequestContext&) {
    const auto started = std::chrono::steady_clock::now();
    store_.restore(*seed_state_);
    faults_.clear();
    journal_.clear();
    clock_.reset();
    const auto took =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
            .count();
    return respond_.json(
        {{"reset", true}, {"took_ms", took}, {"now", format::to_w3c(clock_.now())}});
}

HttpResponse Control::get_clock(const RequestContext&) {
    return respond_.json(
        {{"now", format::to_w3c(clock_.now())}, {"offset_seconds", clock_offset()}});
}

HttpResponse Control::set_clock(const RequestContext& ctx) {
    std::vector<ApiError> errors;
    auto body = object_body(ctx, errors);
    if (body) {
        only_known(*body, {"set", "advance"}, errors);
        if (body->contains("set") == body->contains("advance") && errors.empty()) {
            errors.push_back(field_error(
                "body", "expected one of set (a W3C datetime) or advance (an ISO 8601 duration)"));
        }
    }
    std::optional<Timestamp> set;
    std::optional<Timestamp> advance;
    if (errors.empty() && body->contains("set")) {
        const auto& v = (*body)["set"];
        set = v.is_string() ? format::parse_w3c(v.get<std::string>()) : std::nullopt;
        if (!set) {
            errors.push_back(field_error("set",
                                         "expected a W3C datetime such as "
                                         "2026-05-01T12:00:00Z"));
        }
    }
    if (errors.empty() && body->contains("advance")) {
        const auto& v = (*body)["advance"];
        advance = v.is_string() ? parse_duration(v.get<std::string>()) : std::nullopt;
        if (!advance) {
            errors.push_back(
                field_error("advance",
                            "expected an ISO 8601 duration in days, hours, minutes or seconds, "
                            "such as PT2H, P1D or -PT30M"));
        }
    }
    if (!errors.empty()) {
        return respond_.errors(format::Format::json, errors);
    }
    if (set) {
        clock_.set(*set);
    } else {
        clock_.advance(*advance);
    }
    return get_clock(ctx);
}

HttpResponse Control::transition(const RequestContext& ctx) {
    std::vector<ApiError> errors;
    auto body = object_body(ctx, errors);
    if (body) {
        only_known(*body,
                   {"status",
                    "status_notes",
                    "detailed_status",
                    "agency_responsible",
                    "expected_datetime"},
                   errors);
        if (body->empty()) {
            errors.push_back(field_error("body",
                                         "expected at least one of status, status_notes, "
                                         "detailed_status, agency_responsible, "
                                         "expected_datetime"));
        }
    }
    RequestEdit edit;
    if (errors.empty()) {
        edit = validate::read_request_edit(*body, config_.profile, errors);
    }
    if (!errors.empty()) {
        return respond_.errors(format::Format::json, errors);
    }
    auto outcome = cases_.edit(ctx.path.at("id"), edit, std::nullopt, std::string(kActor));
    if (!outcome.ok()) {
        return respond_.errors(format::Format::json, outcome.errors);
    }
    const auto& r = *outcome.value;
    return respond_.json(
        {{"service_request_id", r.id},
         {"status", r.status},
         {"detailed_status", r.detailed_status},
         {"status_notes", r.status_notes},
         {"agency_responsible", r.agency_responsible},
         {"expected_datetime",
          r.expected_at ? ordered_json(format::to_w3c(*r.expected_at)) : ordered_json(nullptr)},
         {"updated_datetime", format::to_w3c(r.updated_at)},
         {"version", r.version}});
}

HttpResponse Control::resolve_token(const RequestContext& ctx) {
    const auto& token = ctx.path.at("token");
    // The server resolves a batch service's token as soon as the request is stored; this
    // confirms it and names the request, so a client's polling can be tested in one step.
    auto id = store_.find_request_id_by_token(token);
    if (!id) {
        return respond_.error(format::Format::json,
                              {ErrorCode::not_found, "token: no token '" + token + "'"});
    }
    return respond_.json({{"token", token}, {"service_request_id", *id}});
}

HttpResponse Control::journal(const RequestContext& ctx) {
    std::size_t limit = 50;
    if (auto text = ctx.query.get("limit")) {
        const auto v = trim(*text);
        const bool digits =
            !v.empty() && v.size() <= 4 && v.find_first_not_of("0123456789") == std::string::npos;
        const auto n = digits ? std::stoul(v) : 0;
        if (n < 1 || n > Journal::kCapacity) {
            return respond_.error(format::Format::json,
                                  field_error("limit",
                                              "expected a whole number from 1 to " +
                                                  std::to_string(Journal::kCapacity)));
        }
        limit = n;
    }
    auto list = ordered_json::array();
    for (const auto& e : journal_.recent(limit)) {
        list.push_back({{"at", format::to_w3c(e.at)},
                        {"method", e.method},
                        {"path", e.path},
                        {"status", e.status},
                        {"duration_ms", e.duration_ms},
                        {"fields", e.fields}});
    }
    return respond_.json({{"requests", std::move(list)}});
}

HttpResponse Control::list_faults(const RequestContext&) {
    auto list = ordered_json::array();
    for (const auto& f : faults_.list()) {
        list.push_back(fault_json(f));
    }
    return respond_.json({{"faults", std::move(list)}});
}

HttpResponse Control::add_fault(const RequestContext& ctx) {
    std::vector<ApiError> errors;
    auto body = object_body(ctx, errors);
    Fault f;
    if (body) {
        only_known(*body, {"match", "status", "times", "delay_ms"}, errors);
        const auto& match = body->contains("match") ? (*body)["match"] : json();
        if (!match.is_string() || !Faults::parse_match(match.get<std::string>(), f)) {
            errors.push_back(
                field_error("match", "expected a method and a path such as \"POST /requests\""));
        }
        f.status = whole(*body, "status", 0, 599, 0, errors);
        if (f.status != 0 && f.status < 400) {
            errors.push_back(field_error("status", "expected an error status from 400 to 599"));
        }
        f.times = whole(*body, "times", 1, 10000, 1, errors);
        f.delay_ms = whole(*body, "delay_ms", 0, 60000, 0, errors);
        if (errors.empty() && f.status == 0 && f.delay_ms == 0) {
            errors.push_back(field_error("status", "expected a status, a delay_ms or both"));
        }
    }
    if (!errors.empty()) {
        return respond_.errors(format::Format::json, errors);
    }
    faults_.add(std::move(f));
    auto r = list_faults(ctx);
    r.status = 201;
    return r;
}

HttpResponse Control::clear_faults(const RequestContext& ctx) {
    faults_.clear();
    return list_faults(ctx);
}

}  // namespace open311::sandbox
