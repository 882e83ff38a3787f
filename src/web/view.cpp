// The console's rendering: mustache templates and texts compiled into the binary, the
// layout around each page, and the headers that keep the pages to themselves (CSP without
// inline scripts, no framing, no caching of personal data).
#include "web/view.hpp"

#include "util/embedded.hpp"
#include "util/random.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <map>
#include <stdexcept>

namespace open311::web {

namespace {

using Data = kainjow::mustache::data;

Data to_data(const Json& value) {
    switch (value.type()) {
        case Json::value_t::object: {
            Data d{Data::type::object};
            for (const auto& [key, item] : value.items()) {
                d.set(key, to_data(item));
            }
            return d;
        }
        case Json::value_t::array: {
            Data d{Data::type::list};
            for (const auto& item : value) {
                d.push_back(to_data(item));
            }
            return d;
        }
        case Json::value_t::string:
            return Data{value.get<std::string>()};
        case Json::value_t::boolean:
            return Data{value.get<bool>()};
        case Json::value_t::null:
            return Data{false};
        default:
            return Data{value.dump()};
    }
}

const std::map<std::string, std::string>& templates() {
    static const auto table = [] {
        std::map<std::string, std::string> t;
        for (const auto& f : embedded_console_templates()) {
            std::string name(f.name);
            name = name.substr(0, name.find('.'));
            t.emplace(std::move(name), std::string(f.content));
        }
        return t;
    }();
    return table;
}

const std::map<std::string, Json>& catalogues() {
    static const auto table = [] {
        std::map<std::string, Json> t;
        for (const auto& f : embedded_console_messages()) {
            std::string name(f.name);
            t.emplace(name.substr(0, name.find('.')), Json::parse(f.content));
        }
        // Texts a translation lacks are shown in English.
        const Json& en = t.at("en");
        for (auto& [lang, texts] : t) {
            for (const auto& [key, text] : en.items()) {
                if (!texts.contains(key)) {
                    texts[key] = text;
                }
            }
        }
        return t;
    }();
    return table;
}

/// An embedded asset under its hashed name.
struct Asset {
    std::string_view content;
    std::string content_type;
};

std::string content_type_of(std::string_view name) {
    auto ends = [&](std::string_view suffix) {
        return name.size() >= suffix.size() &&
               name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends(".css")) {
        return "text/css; charset=utf-8";
    }
    if (ends(".js")) {
        return "text/javascript; charset=utf-8";
    }
    if (ends(".png")) {
        return "image/png";
    }
    return "application/octet-stream";
}

/// "leaflet.min.js" with content hash "0123456789" → "leaflet.min.0123456789.js".
std::string hashed_name(std::string_view name, std::string_view content) {
    const auto hash = sha256_hex(std::string(content)).substr(0, 12);
    const auto dot = name.rfind('.');
    return std::string(name.substr(0, dot)) + "." + hash + std::string(name.substr(dot));
}

struct AssetTable {
    std::map<std::string, Asset> by_hashed_name;
    Json urls = Json::object();
};

const AssetTable& assets() {
    static const auto table = [] {
        AssetTable t;
        const std::map<std::string, std::string> roles = {
            {"console.css", "css"},
            {"console.js", "js"},
            {"htmx.min.js", "htmx"},
            {"leaflet.js", "leaflet_js"},
            {"leaflet.css", "leaflet_css"},
            {"marker-icon.png", "marker"},
            {"marker-icon-2x.png", "marker2x"},
            {"marker-shadow.png", "shadow"},
        };
        for (const auto& f : embedded_console_assets()) {
            const auto name = hashed_name(f.name, f.content);
            t.by_hashed_name.emplace(name, Asset{f.content, content_type_of(f.name)});
            if (auto role = roles.find(std::string(f.name)); role != roles.end()) {
                t.urls[role->second] = "/staff/assets/" + name;
            }
        }
        return t;
    }();
    return table;
}

/// The origin of the tile URL template for img-src ("https://{s}.tile.x.org/…" allows
/// "https://*.tile.x.org").
std::string tile_origin(const std::string& url) {
    const auto scheme = url.find("://");
    if (scheme == std::string::npos) {
        return "";
    }
    std::string origin = url.substr(0, url.find('/', scheme + 3));
    if (auto s = origin.find("{s}"); s != std::string::npos) {
        origin.replace(s, 3, "*");
    }
    // A template with other placeholders in its host cannot be named in a CSP.
    if (origin.find('{') != std::string::npos || origin.find(' ') != std::string::npos ||
        origin.find(';') != std::string::npos) {
        return "";
    }
    return origin;
}

}  // namespace

std::string pick_language(const std::string& setting, std::string_view accept_language) {
    const auto ours = [](std::string_view code) {
        return std::find(std::begin(kLanguages), std::end(kLanguages), code) !=
               std::end(kLanguages);
    };
    if (ours(setting)) {
        return setting;
    }
    std::string best = "en";
    double best_q = 0;
    std::size_t start = 0;
    while (start <= accept_language.size()) {
        auto end = accept_language.find(',', start);
        if (end == std::string_view::npos) {
            end = accept_language.size();
        }
        std::string item(trim(accept_language.substr(start, end - start)));
        start = end + 1;
        double q = 1;
        if (auto semi = item.find(';'); semi != std::string::npos) {
            auto param = item.substr(semi + 1);
            item = std::string(trim(item.substr(0, semi)));
            if (auto eq = param.find("q="); eq != std::string::npos) {
                try {
                    q = std::stod(param.substr(eq + 2));
                } catch (const std::exception&) {
                    q = 0;
                }
            }
        }
        std::string code = to_lower(item.substr(0, item.find('-')));
        if (ours(code) && q > best_q) {
            best = code;
            best_q = q;
        }
    }
    return best;
}

const Json& messages(const std::string& language) {
    const auto& all = catalogues();
    auto it = all.find(language);
    return it == all.end() ? all.at("en") : it->second;
}

std::string render(const std::string& name, const Json& model) {
    kainjow::mustache::mustache tmpl(templates().at(name));
    if (!tmpl.is_valid()) {
        throw std::logic_error("template " + name + ": " + tmpl.error_message());
    }
    auto data = to_data(model);
    for (const auto& [part, text] : templates()) {
        if (part.rfind('_', 0) == 0) {
            const std::string* source = &text;  // the table lives as long as the program
            data.set(part, kainjow::mustache::partial([source] { return *source; }));
        }
    }
    return tmpl.render(data);
}

const Json& asset_urls() {
    return assets().urls;
}

std::optional<api::HttpResponse> asset_response(const std::string& hashed) {
    const auto& table = assets().by_hashed_name;
    auto it = table.find(hashed);
    if (it == table.end()) {
        return std::nullopt;
    }
    api::HttpResponse r;
    r.content_type = it->second.content_type;
    r.body = std::string(it->second.content);
    // The name changes with the content: a year, never revalidated.
    r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
    return r;
}

View::View(const Config& config) {
    std::string img = "img-src 'self' data:";
    if (auto origin = tile_origin(config.console.tile_url); !origin.empty()) {
        img += " " + origin;
    }
    csp_ = "default-src 'none'; script-src 'self'; style-src 'self'; " + img +
           "; connect-src 'self'; font-src 'self'; form-action 'self'; frame-ancestors 'none'; "
           "base-uri 'none'";
}

void View::secure(api::HttpResponse& response) const {
    response.headers.emplace_back("Content-Security-Policy", csp_);
    response.headers.emplace_back("X-Frame-Options", "DENY");
    response.headers.emplace_back("Referrer-Policy", "same-origin");
    bool cached = false;
    for (const auto& [name, value] : response.headers) {
        cached = cached || name == "Cache-Control";
    }
    if (!cached) {
        response.headers.emplace_back("Cache-Control", "no-store");
    }
}

api::HttpResponse View::page(int status, const std::string& content_template, Json model) const {
    if (!model.contains("t")) {
        model["t"] = messages("en");
    }
    model["assets"] = asset_urls();
    model["content"] = render(content_template, model);
    api::HttpResponse r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = render("layout", model);
    secure(r);
    return r;
}

api::HttpResponse View::fragment(int status,
                                 std::initializer_list<const char*> parts,
                                 Json model) const {
    if (!model.contains("t")) {
        model["t"] = messages("en");
    }
    model["assets"] = asset_urls();
    model["htmx"] = true;
    api::HttpResponse r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    for (const char* part : parts) {
        r.body += render(part, model);
    }
    // The same URL answers a full page without HX-Request.
    r.headers.emplace_back("Vary", "HX-Request");
    secure(r);
    return r;
}

api::HttpResponse View::message(int status,
                                Json model,
                                const std::string& heading_key,
                                const std::string& message_key) const {
    if (!model.contains("t")) {
        model["t"] = messages("en");
    }
    model["heading"] = model["t"].value(heading_key, heading_key);
    model["message"] = model["t"].value(message_key, message_key);
    if (!model.contains("title")) {
        model["title"] = model["heading"];
    }
    return page(status, "message", std::move(model));
}

api::HttpResponse View::redirect(const std::string& location) {
    api::HttpResponse r;
    r.status = 303;
    r.content_type = "text/plain; charset=utf-8";
    r.headers.emplace_back("Location", location);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

}  // namespace open311::web
