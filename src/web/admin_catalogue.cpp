// Admin pages: the service catalogue (issue 14, page 5: a new service, names and descriptions
// per language, activate and deactivate, attributes). A change is the catalogue format's service
// object, parsed by catalogue/catalogue_file.cpp and saved by workflow/catalogue.cpp with its audit
// line, exactly as PATCH /admin/v1/services/{code} does.
#include "catalogue/catalogue_file.hpp"
#include "util/text.hpp"
#include "web/console.hpp"
#include "workflow/catalogue.hpp"

#include <set>

namespace open311::web {

api::HttpResponse Console::admin_services(Call& call, int status, const std::string& error) const {
    auto m = frame(call, "services", "services");
    // The form for a new service: empty, or as sent when it was refused.
    const auto& f = call.form;
    Json fresh = Json::array();
    for (const auto locale : kLanguages) {
        const std::string l(locale);
        fresh.push_back({{"locale", l},
                         {"name", f.get("name." + l).value_or("")},
                         {"description", f.get("description." + l).value_or("")},
                         {"group", f.get("group." + l).value_or("")}});
    }
    m["new"] = {{"code", f.get("service_code").value_or("")}, {"translations", std::move(fresh)}};
    const auto& lang = call.visitor.language;
    Json rows = Json::array();
    for (const auto& service : *s_.store.catalogue_snapshot()) {
        rows.push_back({{"code", service.code},
                        {"path", form::percent_encode(service.code)},
                        {"name", service.translation(lang, "en").name},
                        {"level", std::to_string(service.level())},
                        {"active", service.active},
                        {"attributes", std::to_string(service.attributes.size())}});
    }
    m["services"] = std::move(rows);
    if (!error.empty()) {
        m["error"] = error;
    } else if (auto done = call.query.get("done")) {
        m["flash"] = m["t"].value("done_" + *done, "");
    }
    return view_.page(status, "admin_services", std::move(m));
}

api::HttpResponse Console::admin_service_create(Call& call) const {
    // The catalogue format's service object, parsed and saved as POST /admin/v1/services does.
    const auto& f = call.form;
    nlohmann::ordered_json document;
    document["service_code"] = trim(f.get("service_code").value_or(""));
    document["type"] = "realtime";
    document["translations"] = nlohmann::ordered_json::object();
    for (const auto locale : kLanguages) {
        const std::string l(locale);
        const auto name = trim(f.get("name." + l).value_or(""));
        const auto description = trim(f.get("description." + l).value_or(""));
        const auto group = trim(f.get("group." + l).value_or(""));
        if (name.empty() && description.empty() && group.empty()) {
            continue;  // a language left empty is not offered
        }
        auto& text = document["translations"][l];
        text["service_name"] = name;
        text["description"] = description;
        if (!group.empty()) {
            text["group"] = group;
        }
    }
    Service created;
    try {
        created = catalogue::parse_service(document, catalogue::UnknownMembers::refuse);
    } catch (const catalogue::CatalogueError& e) {
        const auto field = e.field().empty() ? std::string("service") : e.field();
        return admin_services(call, 400, field + ": " + e.problem());
    }
    auto outcome = workflow::save_service(
        s_.store, created, std::nullopt, "service.create", call.visitor.user.name);
    if (!outcome.ok()) {
        return admin_services(
            call, http_status(outcome.errors.front().code), outcome.errors.front().description);
    }
    return View::redirect("/staff/admin/services/" + form::percent_encode(created.code) +
                          "?done=create");
}

api::HttpResponse Console::admin_service(Call& call,
                                         const std::string& code,
                                         int status,
                                         const std::string& error) const {
    auto service = s_.store.find_service(code);
    if (!service) {
        return refusal(call, 404, "not_found");
    }
    auto m = frame(call, "services", "services");
    m["code"] = service->code;
    m["path"] = form::percent_encode(service->code);
    m["active"] = service->active;
    m["name"] = service->translation(call.visitor.language, "en").name;
    // The console's languages first, then any other the catalogue has.
    std::vector<std::string> languages(std::begin(kLanguages), std::end(kLanguages));
    for (const auto& [locale, text] : service->translations) {
        if (std::find(languages.begin(), languages.end(), locale) == languages.end()) {
            languages.push_back(locale);
        }
    }
    Json translations = Json::array();
    for (const auto& locale : languages) {
        const auto found = service->translations.find(locale);
        const ServiceTranslation empty;
        const auto& text = found != service->translations.end() ? found->second : empty;
        translations.push_back(
            {{"locale", locale}, {"name", text.name}, {"description", text.description}});
    }
    m["translations"] = std::move(translations);
    auto document = catalogue::service_to_json(*service);
    m["attributes"] = document.contains("attributes") ? document["attributes"].dump(2) : "[]";
    if (!error.empty()) {
        m["error"] = error;
    } else if (auto done = call.query.get("done")) {
        m["flash"] = m["t"].value("done_" + *done, "");
    }
    return view_.page(status, "admin_service", std::move(m));
}

api::HttpResponse Console::admin_service_action(Call& call,
                                                const std::string& code,
                                                const std::string& action) const {
    auto current = s_.store.find_service(code);
    if (!current) {
        return refusal(call, 404, "not_found");
    }
    auto document = catalogue::service_to_json(*current);
    const char* audit_action = "service.update";
    if (action == "activate" || action == "deactivate") {
        document["active"] = action == "activate";
        audit_action = action == "activate" ? "service.update" : "service.deactivate";
    } else {
        // Names and descriptions per language; the other members of a translation (keywords,
        // group) stay. A language left without name and description is removed.
        const auto& f = call.form;
        std::set<std::string> locales(std::begin(kLanguages), std::end(kLanguages));
        for (const auto& [locale, text] : current->translations) {
            locales.insert(locale);
        }
        auto& translations = document["translations"];
        for (const auto& locale : locales) {
            auto name = f.get("name." + locale);
            auto description = f.get("description." + locale);
            if (!name && !description) {
                continue;  // not on the form
            }
            if (name.value_or("").empty() && description.value_or("").empty()) {
                translations.erase(locale);
                continue;
            }
            translations[locale]["service_name"] = name.value_or("");
            translations[locale]["description"] = description.value_or("");
        }
        auto attributes =
            nlohmann::ordered_json::parse(f.get("attributes").value_or("[]"), nullptr, false);
        if (attributes.is_discarded() || !attributes.is_array()) {
            return admin_service(call, code, 400, "attributes: expected a JSON array");
        }
        document["attributes"] = std::move(attributes);
    }
    Service after;
    try {
        after = catalogue::parse_service(document, catalogue::UnknownMembers::refuse);
    } catch (const catalogue::CatalogueError& e) {
        const auto field = e.field().empty() ? std::string("service") : e.field();
        return admin_service(call, code, 400, field + ": " + e.problem());
    }
    auto outcome =
        workflow::save_service(s_.store, after, current, audit_action, call.visitor.user.name);
    if (!outcome.ok()) {
        return admin_service(call,
                             code,
                             http_status(outcome.errors.front().code),
                             outcome.errors.front().description);
    }
    return View::redirect("/staff/admin/services/" + form::percent_encode(code) +
                          "?done=" + (action == "save" ? "save" : action));
}

}  // namespace open311::web
