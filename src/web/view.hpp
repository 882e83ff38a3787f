#pragma once

#include "api/core/http_types.hpp"

#include "open311/config.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace open311::web {

using Json = nlohmann::json;

/// The console's languages, in the order a settings page offers them.
inline constexpr std::string_view kLanguages[] = {"en", "fi", "sv"};

/// The language of a page: the user's setting when it names one of ours, else the first of
/// ours in Accept-Language (by q-value), else English.
std::string pick_language(const std::string& setting, std::string_view accept_language);

/// The console's texts in `language` (missing ones in English), as the template object `t`.
const Json& messages(const std::string& language);

/// Renders templates/NAME.mustache with `model`. Every {{value}} is HTML-escaped; only
/// {{{content}}} in the layout takes markup (a page this code rendered). The templates whose
/// name starts with "_" are partials ({{> _name}}): a piece of a page that an htmx request
/// gets alone, written once for both answers.
std::string render(const std::string& name, const Json& model);

/// The URLs of the embedded assets by role (css, js, htmx, leaflet_js, leaflet_css, marker,
/// marker2x, shadow): /staff/assets/ and a content-hashed name.
const Json& asset_urls();

/// GET /staff/assets/NAME: the embedded file with that hashed name, cached for a year; nullopt
/// for any other name.
std::optional<api::HttpResponse> asset_response(const std::string& hashed_name);

/// Builds the console's HTML answers with their security headers.
class View final {
public:
    explicit View(const Config& config);

    /// `content_template` rendered inside the layout; `model` gets `t`, `assets` and
    /// `content`. Answered with the console's CSP, no caching and no framing.
    api::HttpResponse page(int status, const std::string& content_template, Json model) const;
    /// Only the templates `parts` (partials or a page's content), without the layout: the
    /// answer to an htmx request, which swaps them into the page it came from. `model` gets
    /// `t`, `assets` and `htmx` (a part swapped out of band marks itself with it).
    api::HttpResponse fragment(int status,
                               std::initializer_list<const char*> parts,
                               Json model) const;
    /// A page with a heading and one message (errors, refusals).
    api::HttpResponse message(int status,
                              Json model,
                              const std::string& heading_key,
                              const std::string& message_key) const;
    /// 303 See Other to `location` (after every successful POST).
    static api::HttpResponse redirect(const std::string& location);
    /// The security headers of every console answer.
    void secure(api::HttpResponse& response) const;

private:
    std::string csp_;
};

}  // namespace open311::web
