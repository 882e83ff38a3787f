// Domain → canonical tree, once per resource. Element order follows the GeoReport v2 examples.
#include "format/trees.hpp"

#include "format/datetime.hpp"

namespace open311::format {

using nlohmann::ordered_json;

namespace {

ordered_json optional_time(const std::optional<Timestamp>& t) {
    return t ? ordered_json(to_w3c(*t)) : ordered_json(nullptr);
}

ordered_json optional_number(const std::optional<double>& v) {
    return v ? ordered_json(*v) : ordered_json(nullptr);
}

std::string level_group(int level, const std::string& locale) {
    // Helsinki names the levels of its hierarchical codes; used when the catalogue gives none.
    static const std::map<std::string, std::vector<std::string>> kNames = {
        {"fi", {"Toimialat", "Palvelukokonaisuudet", "Palvelut", "Aiheet"}},
        {"sv", {"Sektorer", "Servicehelheter", "Tjänster", "Ämnen"}},
        {"en", {"Divisions", "Service areas", "Services", "Topics"}},
    };
    auto it = kNames.find(locale);
    const auto& names = it != kNames.end() ? it->second : kNames.at("en");
    return names[static_cast<std::size_t>(std::clamp(level, 1, 4) - 1)];
}

}  // namespace

Document discovery_tree(const Config& config, const std::string& base_url, Timestamp changeset) {
    ordered_json endpoint;
    endpoint["specification"] = "http://wiki.open311.org/GeoReport_v2";
    endpoint["url"] = base_url;
    endpoint["changeset"] = to_w3c(changeset);
    endpoint["type"] = config.environment;
    endpoint["formats"] = ordered_json::array({"text/xml", "application/json"});
    ordered_json body;
    body["changeset"] = to_w3c(changeset);
    body["contact"] = config.contact;
    body["key_service"] = config.key_service;
    body["endpoints"] = ordered_json::array({endpoint});
    return {"discovery", std::move(body)};
}

Document services_tree(const std::vector<Service>& services,
                       const std::string& locale,
                       const std::string& fallback) {
    auto list = ordered_json::array();
    for (const auto& s : services) {
        if (!s.active) {
            continue;
        }
        const auto& t = s.translation(locale, fallback);
        ordered_json item;
        item["service_code"] = s.code;
        item["service_name"] = t.name;
        item["description"] = t.description;
        item["metadata"] = s.metadata();
        item["type"] = to_string(s.type);
        item["keywords"] = t.keywords;
        item["group"] = t.group.empty() ? level_group(s.level(), locale) : t.group;
        list.push_back(std::move(item));
    }
    return {"services", std::move(list)};
}

Document service_definition_tree(const Service& service,
                                 const std::string& locale,
                                 const std::string& fallback) {
    auto attributes = ordered_json::array();
    for (const auto& a : service.attributes) {
        ordered_json item;
        item["variable"] = a.variable;
        item["code"] = a.code;
        item["datatype"] = to_string(a.datatype);
        item["required"] = a.required;
        item["datatype_description"] = pick_locale(a.datatype_description, locale, fallback);
        item["order"] = a.order;
        item["description"] = pick_locale(a.description, locale, fallback);
        if (!a.automated.empty()) {
            item["automated"] = a.automated;
        }
        if (a.datatype == Datatype::singlevaluelist || a.datatype == Datatype::multivaluelist) {
            auto values = ordered_json::array();
            for (const auto& v : a.values) {
                values.push_back({{"key", v.key}, {"name", pick_locale(v.name, locale, fallback)}});
            }
            item["values"] = std::move(values);
        }
        attributes.push_back(std::move(item));
    }
    ordered_json body;
    body["service_code"] = service.code;
    body["attributes"] = std::move(attributes);
    return {"service_definition", std::move(body)};
}

ordered_json public_request(const ServiceRequest& r,
                            const std::string& service_name,
                            bool extensions,
                            Detail detail) {
    ordered_json item;
    item["service_request_id"] = r.id;
    item["status"] = r.status;
    if (detail == Detail::partial) {
        item["service_name"] = service_name;
        item["service_code"] = r.service_code;
        item["requested_datetime"] = to_w3c(r.requested_at);
        item["updated_datetime"] = to_w3c(r.updated_at);
        return item;
    }
    item["status_notes"] = r.status_notes;
    item["service_name"] = service_name;
    item["service_code"] = r.service_code;
    item["description"] = r.description;
    item["agency_responsible"] = r.agency_responsible;
    item["service_notice"] = r.service_notice;
    item["requested_datetime"] = to_w3c(r.requested_at);
    item["updated_datetime"] = to_w3c(r.updated_at);
    item["expected_datetime"] = optional_time(r.expected_at);
    item["address"] = r.address;
    item["address_id"] = r.address_id;
    item["zipcode"] = r.zipcode;
    item["lat"] = optional_number(r.lat);
    item["long"] = optional_number(r.lon);
    item["media_url"] =
        r.media_urls.empty() ? ordered_json(nullptr) : ordered_json(r.media_urls.front());
    if (extensions) {
        ordered_json ext;
        ext["title"] = r.title;
        ext["service_object_id"] = r.service_object_id;
        ext["service_object_type"] = r.service_object_type;
        ext["detailed_status"] =
            r.detailed_status.empty() ? ordered_json(nullptr) : ordered_json(r.detailed_status);
        ext["media_urls"] = r.media_urls;
        item["extended_attributes"] = std::move(ext);
    }
    return item;
}

ordered_json staff_request(const ServiceRequest& r, const std::string& service_name) {
    ordered_json item = public_request(r, service_name, true, Detail::full);
    item["state"] = to_string(r.state);
    item["can_be_published"] = r.can_be_published;
    item["reject_reason"] = r.reject_reason;
    item["email"] = r.submitter.email;
    item["first_name"] = r.submitter.first_name;
    item["last_name"] = r.submitter.last_name;
    item["phone"] = r.submitter.phone;
    item["device_id"] = r.submitter.device_id;
    item["account_id"] = r.submitter.account_id;
    item["api_key_name"] = r.api_key_name;
    item["token"] = r.token.empty() ? ordered_json(nullptr) : ordered_json(r.token);
    item["version"] = r.version;
    auto answers = ordered_json::object();
    for (const auto& a : r.attributes) {
        answers[a.code] =
            a.values.size() == 1 ? ordered_json(a.values.front()) : ordered_json(a.values);
    }
    item["attributes"] = std::move(answers);
    return item;
}

Document post_response_tree(const ServiceRequest& r, ServiceType type) {
    ordered_json item;
    if (!r.token.empty()) {
        item["token"] = r.token;
    } else if (type != ServiceType::blackbox) {
        item["service_request_id"] = r.id;
    }
    item["service_notice"] = r.service_notice;
    if (!r.submitter.account_id.empty()) {
        // The submitter's own account id, echoed to the system that sent it (GeoReport v2).
        item["account_id"] = r.submitter.account_id;
    }
    return {"service_requests", ordered_json::array({item}), Shape::post_response};
}

Document token_tree(const std::string& token, const std::string& request_id) {
    ordered_json item;
    item["service_request_id"] = request_id;
    item["token"] = token;
    return {"service_requests", ordered_json::array({item}), Shape::post_response};
}

Document errors_tree(const std::vector<ErrorItem>& errors) {
    auto list = ordered_json::array();
    for (const auto& e : errors) {
        list.push_back({{"code", e.code}, {"description", e.description}});
    }
    return {"errors", std::move(list)};
}

const std::vector<std::string>& personal_field_names() {
    static const std::vector<std::string> kNames = {
        "email", "first_name", "last_name", "phone", "device_id", "account_id"};
    return kNames;
}

}  // namespace open311::format
