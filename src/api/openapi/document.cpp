// The served OpenAPI description: the static document compiled into the binary, completed with
// what only the configuration knows (where the server is, its base paths, jurisdictions and
// profile, and which optional APIs it answers).
#include "api/openapi/document.hpp"

#include "util/embedded.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string_view>

namespace open311::api {

namespace {

using Json = nlohmann::ordered_json;

Json fragment(std::string_view name) {
    for (const auto& file : embedded_openapi_document()) {
        if (file.name == name) {
            return Json::parse(file.content);
        }
    }
    throw std::logic_error("OpenAPI fragment missing from the binary: " + std::string(name));
}

/// The origin the paths hang from: server.public_url without the base path it usually ends
/// with (discovery writes it as the API's URL), else the listening address.
std::string server_origin(const Config& config) {
    std::string url = config.public_url;
    if (url.empty()) {
        return std::string(listen_scheme(config)) + "://" + config.listen_host + ":" +
               std::to_string(config.listen_port);
    }
    const auto& base = config.base_path;
    if (url.size() >= base.size() &&
        url.compare(url.size() - base.size(), base.size(), base) == 0) {
        url.resize(url.size() - base.size());
    }
    return url;
}

/// The jurisdiction_id parameter as this server reads it (docs/api.md "jurisdiction_id").
void describe_jurisdictions(const Config& config, Json& parameter) {
    Json names = Json::array();
    for (const auto& j : config.jurisdictions) {
        names.push_back(j);
    }
    if (config.jurisdictions.size() > 1) {
        parameter["description"] =
            "Required: this server serves several jurisdictions (400 when missing, 404 when not "
            "one of them).";
        parameter["required"] = true;
        parameter["schema"] = Json{{"type", "string"}, {"enum", names}};
    } else {
        parameter["description"] =
            "Optional and ignored: this server serves one jurisdiction" +
            (names.empty() ? std::string(".") : " (" + names[0].get<std::string>() + ").");
        parameter["schema"] = Json{{"type", "string"}, {"examples", names}};
    }
}

const char* shape_name(JsonShape shape) {
    return shape == JsonShape::array ? "array" : "object";
}

/// The settings the profile-dependent shapes of the document refer to (docs/profiles.md).
Json profile_settings(const Config& config) {
    const auto& p = config.profile;
    Json locales = Json::array();
    for (const auto& l : config.locales) {
        locales.push_back(l);
    }
    return Json{
        {"name", p.name},
        {"max_results", p.max_results},
        {"radius_unit", p.radius_unit == RadiusUnit::metres ? "metres" : "kilometres"},
        {"pending_by_id", p.pending_by_id == PendingVisibility::partial ? "partial" : "hidden"},
        {"post_response_json", shape_name(p.post_response_json)},
        {"single_request_json", shape_name(p.single_request_json)},
        {"empty_value_json", p.empty_value_json == EmptyValue::null ? "null" : "empty_string"},
        {"description_required", p.description_required},
        {"description_min_length", p.description_min_length},
        {"description_max_length", p.description_max_length},
        {"locales", locales},
        {"default_locale", config.default_locale},
    };
}

/// Adds each of `paths` under `prefix` ("" for absolute ones).
void add_paths(Json& into, const Json& paths, const std::string& prefix) {
    for (const auto& [path, item] : paths.items()) {
        into[prefix + path] = item;
    }
}

}  // namespace

std::string render_openapi(const Config& config, const OpenApiParts& parts) {
    Json doc = fragment("openapi.json");
    doc["servers"] = Json::array(
        {Json{{"url", server_origin(config)}, {"description", "this server (server.public_url)"}}});
    doc["info"]["x-open311-profile"] = profile_settings(config);
    describe_jurisdictions(config, doc["components"]["parameters"]["jurisdiction_id"]);

    // The public API first, under the configured base path; then the root paths.
    Json paths = Json::object();
    add_paths(paths, fragment("georeport.json")["paths"], config.base_path);
    add_paths(paths, doc["paths"], "");
    if (parts.initiatives) {
        const Json initiatives = fragment("initiatives.json");
        add_paths(paths, initiatives["paths"], config.initiatives.base_path);
        add_paths(paths, initiatives["admin_paths"], "");
    }
    if (parts.metrics) {
        const Json metrics = fragment("metrics.json");
        add_paths(paths, metrics["paths"], "");
        for (const auto& [name, scheme] : metrics["components"]["securitySchemes"].items()) {
            doc["components"]["securitySchemes"][name] = scheme;
        }
    }
    doc["paths"] = std::move(paths);
    if (!parts.initiatives) {
        // Their tags and schemas describe nothing this server answers.
        auto& tags = doc["tags"];
        for (auto it = tags.begin(); it != tags.end();) {
            const auto name = it->value("name", "");
            it = name == "Initiatives" || name == "Admin: initiatives" ? tags.erase(it) : it + 1;
        }
        for (const char* schema : {"Municipality",
                                   "InitiativeSummary",
                                   "Initiative",
                                   "InitiativeErrors",
                                   "InitiativeImport"}) {
            doc["components"]["schemas"].erase(schema);
        }
        for (const char* parameter : {"jsonp", "initiative_id", "municipality_id"}) {
            doc["components"]["parameters"].erase(parameter);
        }
    }
    return doc.dump();
}

}  // namespace open311::api
