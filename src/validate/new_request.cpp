#include "validate/new_request.hpp"

#include "format/datetime.hpp"
#include "util/text.hpp"
#include "validate/fields.hpp"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

namespace open311::validate {
namespace {

/// The image types a media_url may name (Helsinki: "jpg, png, gif,..").
constexpr std::array<std::string_view, 5> kImageSuffixes = {
    ".jpg", ".jpeg", ".png", ".gif", ".webp"};

}  // namespace

/// Reads a free-text field: valid UTF-8, trimmed, at most `max` characters, optionally no HTML.
std::string text_field(const form::Params& form,
                       const std::string& name,
                       std::size_t max,
                       bool forbid_html,
                       std::vector<ApiError>& errors) {
    auto raw = form.get(name);
    if (!raw) {
        return {};
    }
    auto length = utf8_length(*raw);
    if (!length) {
        errors.push_back(bad(name + ": not valid UTF-8 text"));
        return {};
    }
    if (contains_control(*raw)) {
        errors.push_back(bad(name + ": control characters are not allowed"));
        return {};
    }
    auto value = trim(*raw);
    auto trimmed_length = utf8_length(value).value_or(0);
    if (trimmed_length > max) {
        errors.push_back(bad(name + ": at most " + std::to_string(max) +
                             " characters allowed, got " + std::to_string(trimmed_length)));
    }
    if (forbid_html && contains_html(value)) {
        errors.push_back(bad(name + ": HTML or other markup is not allowed"));
    }
    return value;
}

bool valid_email(const std::string& email) {
    if (email.size() > 254 || email.find_first_of(" \t\r\n<>()[]\\,;:\"") != std::string::npos) {
        return false;
    }
    auto at = email.find('@');
    if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos) {
        return false;
    }
    auto domain = email.substr(at + 1);
    auto dot = domain.find('.');
    return dot != std::string::npos && dot > 0 && domain.back() != '.' &&
           domain.find("..") == std::string::npos;
}

bool valid_http_url(const std::string& url) {
    auto lower = to_lower(url);
    const bool scheme = lower.rfind("http://", 0) == 0 || lower.rfind("https://", 0) == 0;
    return scheme && url.size() <= kMaxUrl && is_valid_utf8(url) &&
           url.find_first_of(" \t\r\n<>\"") == std::string::npos &&
           url.size() > lower.find("//") + 2;
}

bool valid_media_url(const std::string& url) {
    if (!valid_http_url(url)) {
        return false;
    }
    const auto authority = url.find("//") + 2;
    const auto path_start = url.find('/', authority);
    const auto path_end = url.find_first_of("?#", authority);
    if (path_start == std::string::npos || path_start > path_end) {
        return false;  // no path: "https://example.com.jpg" names a host, not an image
    }
    const auto path = to_lower(std::string_view(url).substr(0, path_end).substr(path_start));
    return std::any_of(kImageSuffixes.begin(), kImageSuffixes.end(), [&path](std::string_view s) {
        return path.size() > s.size() + 1 && path.compare(path.size() - s.size(), s.size(), s) == 0;
    });
}

std::vector<ApiError> encoding_errors(const form::Params& params) {
    std::vector<ApiError> errors;
    errors.reserve(params.malformed().size());
    for (const auto& m : params.malformed()) {
        errors.push_back(bad(m.problem == form::Encoding::not_utf8
                                 ? m.name + ": not valid UTF-8 text"
                                 : m.name +
                                       ": malformed percent-encoding; '%' must be followed by two "
                                       "hexadecimal digits (a literal '%' is sent as %25)"));
    }
    return errors;
}

namespace {

void read_location(const form::Params& form,
                   const Profile& profile,
                   ServiceRequest& out,
                   std::vector<ApiError>& errors) {
    auto lat = form.get("lat");
    auto lon = form.get("long");
    for (const char* alias : {"lon", "lng"}) {
        if (form.get(alias) && !lon) {
            errors.push_back(
                bad(std::string(alias) + ": unknown parameter; the longitude parameter is 'long'"));
        }
    }
    const bool alias_used = !lon && (form.get("lon") || form.get("lng"));
    if (lat || lon) {
        if ((!lat || !lon) && !alias_used) {
            errors.push_back(
                bad(std::string(lat ? "long" : "lat") + ": lat and long must be given together"));
        } else if (lat && lon) {
            auto la = parse_decimal(trim(*lat));
            auto lo = parse_decimal(trim(*lon));
            if (!la || *la < -90 || *la > 90) {
                errors.push_back(
                    bad("lat: expected a WGS84 latitude from -90 to 90 with '.' as the decimal "
                        "separator"));
            }
            if (!lo || *lo < -180 || *lo > 180) {
                errors.push_back(
                    bad("long: expected a WGS84 longitude from -180 to 180 with '.' as the decimal "
                        "separator"));
            }
            if (la && lo) {
                out.lat = la;
                out.lon = lo;
            }
        }
    }
    out.service_object_id = text_field(form, "service_object_id", kMaxShortField, false, errors);
    out.service_object_type = text_field(form, "service_object_type", kMaxUrl, false, errors);
    if (!out.service_object_id.empty() && out.service_object_type.empty()) {
        errors.push_back(bad("service_object_type: required when service_object_id is given"));
    }
    out.address = text_field(form, "address_string", kMaxAddress, true, errors);
    out.address_id = text_field(form, "address_id", kMaxShortField, false, errors);

    const bool has_point = lat && lon;
    const bool has_object = !out.service_object_id.empty();
    const bool has_address = profile.accept_address_string && !out.address.empty();
    const bool has_address_id = profile.accept_address_id && !out.address_id.empty();
    if (!has_point && !has_object && !has_address && !has_address_id && !(lat || lon)) {
        std::string accepted = "lat and long, or service_object_id with service_object_type";
        if (profile.accept_address_string) {
            accepted += ", or address_string";
        }
        if (profile.accept_address_id) {
            accepted += ", or address_id";
        }
        errors.push_back(bad("location: required; give " + accepted));
    }
}

/// Collects attribute[CODE]=v and attribute[CODE][]=v pairs (keys arrive percent-decoded).
std::map<std::string, std::vector<std::string>> collect_attributes(const form::Params& form,
                                                                   std::vector<ApiError>& errors) {
    std::map<std::string, std::vector<std::string>> out;
    for (const auto& [name, value] : form.items()) {
        if (name.rfind("attribute[", 0) != 0) {
            continue;
        }
        auto close = name.find(']');
        std::string rest = close == std::string::npos ? "?" : name.substr(close + 1);
        if (close == std::string::npos || close == 10 || (!rest.empty() && rest != "[]")) {
            continue;  // not an attribute parameter of ours: ignored like any unknown parameter
        }
        auto& values = out[name.substr(10, close - 10)];
        if (values.size() >= kMaxAttributeValues) {
            errors.push_back(bad(name.substr(0, close + 1) + ": at most " +
                                 std::to_string(kMaxAttributeValues) + " values allowed"));
            break;
        }
        if (!value.empty() && std::find(values.begin(), values.end(), value) == values.end()) {
            values.push_back(value);
        }
    }
    return out;
}

void read_attributes(const form::Params& form,
                     const Service& service,
                     ServiceRequest& out,
                     std::vector<ApiError>& errors) {
    // Codes the service does not define are ignored, not refused: FixMyStreet sends extra
    // attribute[...] fields (report_url, fixmystreet_id, last_name, …) to every endpoint.
    auto given = collect_attributes(form, errors);
    for (const auto& a : service.attributes) {
        const std::string field = "attribute[" + a.code + "]";
        auto it = given.find(a.code);
        if (it == given.end() || it->second.empty()) {
            if (a.required && a.variable && a.automated != "server_set") {
                errors.push_back(bad(field + ": required by service " + service.code));
            }
            continue;
        }
        const auto& values = it->second;
        if (a.datatype != Datatype::multivaluelist && values.size() > 1) {
            errors.push_back(
                bad(field + ": only one value allowed for datatype " + to_string(a.datatype)));
            continue;
        }
        bool ok = true;
        for (const auto& v : values) {
            auto length = utf8_length(v);
            if (!length || *length > kMaxAttributeValue || contains_control(v)) {
                errors.push_back(bad(field + ": expected UTF-8 text of at most " +
                                     std::to_string(kMaxAttributeValue) + " characters"));
                ok = false;
                break;
            }
            switch (a.datatype) {
                case Datatype::number:
                    if (!parse_decimal(trim(v))) {
                        errors.push_back(bad(field + ": expected a number, got '" + v + "'"));
                        ok = false;
                    }
                    break;
                case Datatype::datetime:
                    if (!format::parse_w3c(trim(v))) {
                        errors.push_back(bad(
                            field +
                            ": expected a W3C datetime with an offset, e.g. 2024-05-01T12:00:00Z"));
                        ok = false;
                    }
                    break;
                case Datatype::singlevaluelist:
                case Datatype::multivaluelist: {
                    const bool listed = std::any_of(
                        a.values.begin(), a.values.end(), [&v](const AttributeValue& av) {
                            return av.key == v;
                        });
                    if (!listed) {
                        std::string keys;
                        for (const auto& av : a.values) {
                            keys += (keys.empty() ? "" : ", ") + av.key;
                        }
                        errors.push_back(bad(field + ": '" + v +
                                             "' is not one of the allowed values (" + keys + ")"));
                        ok = false;
                    }
                    break;
                }
                case Datatype::string:
                case Datatype::text:
                default:
                    if (contains_html(v)) {
                        errors.push_back(bad(field + ": HTML or other markup is not allowed"));
                        ok = false;
                    }
                    break;
            }
            if (!ok) {
                break;
            }
        }
        if (ok) {
            out.attributes.push_back(AttributeAnswer{a.code, values});
        }
    }
}

}  // namespace

void read_contact(const form::Params& form,
                  std::string& email,
                  std::string& first_name,
                  std::string& last_name,
                  std::vector<ApiError>& errors) {
    email = text_field(form, "email", 254, false, errors);
    if (!email.empty() && !valid_email(email)) {
        errors.push_back(bad("email: not a valid e-mail address"));
    }
    first_name = text_field(form, "first_name", kMaxShortField, true, errors);
    last_name = text_field(form, "last_name", kMaxShortField, true, errors);
}

std::vector<ApiError> new_request(const form::Params& form,
                                  const Service& service,
                                  const Profile& profile,
                                  ServiceRequest& out) {
    std::vector<ApiError> errors;
    out.service_code = service.code;

    // description: GeoReport v2 max 4000; Helsinki 10–5000 and required. Counted in code
    // points after trimming, so white space alone is empty.
    if (form.get("description") && !utf8_length(*form.get("description"))) {
        errors.push_back(bad("description: not valid UTF-8 text"));
    } else if (form.get("description") && contains_control(*form.get("description"))) {
        errors.push_back(bad("description: control characters are not allowed"));
    } else {
        out.description = trim(form.get("description").value_or(""));
        const auto length = utf8_length(out.description).value_or(0);
        const auto min = static_cast<std::size_t>(profile.description_min_length);
        const auto max = static_cast<std::size_t>(profile.description_max_length);
        if (length == 0 && profile.description_required) {
            errors.push_back(bad("description: required"));
        } else if (length > 0 && length < min) {
            errors.push_back(bad("description: at least " + std::to_string(min) +
                                 " characters required, got " + std::to_string(length)));
        } else if (length > max) {
            errors.push_back(bad("description: at most " + std::to_string(max) +
                                 " characters allowed, got " + std::to_string(length)));
        }
        if (contains_html(out.description)) {
            errors.push_back(bad("description: HTML or other markup is not allowed"));
        }
    }

    out.title = text_field(form, "title", kMaxTitle, true, errors);
    read_location(form, profile, out, errors);

    auto& p = out.submitter;
    read_contact(form, p.email, p.first_name, p.last_name, errors);
    p.phone = text_field(form, "phone", 50, true, errors);
    p.device_id = text_field(form, "device_id", kMaxShortField, false, errors);
    p.account_id = text_field(form, "account_id", kMaxShortField, false, errors);

    out.can_be_published = profile.can_be_published_default;
    if (auto published = form.get("can_be_published")) {
        auto v = to_lower(trim(*published));
        if (v == "true") {
            out.can_be_published = true;
        } else if (v == "false") {
            out.can_be_published = false;
        } else {
            errors.push_back(bad("can_be_published: expected true or false"));
        }
    }

    auto urls = form.all("media_url");
    if (urls.size() > kMaxMediaUrls) {
        errors.push_back(
            bad("media_url: at most " + std::to_string(kMaxMediaUrls) + " URLs allowed"));
    }
    for (const auto& url : urls) {
        auto u = trim(url);
        if (!valid_media_url(u)) {
            errors.push_back(
                bad("media_url: expected an http:// or https:// URL of an image, its path ending "
                    "in .jpg, .jpeg, .png, .gif or .webp"));
        } else if (std::find(out.media_urls.begin(), out.media_urls.end(), u) ==
                   out.media_urls.end()) {
            out.media_urls.push_back(u);
        }
    }

    read_attributes(form, service, out, errors);
    return errors;
}

}  // namespace open311::validate
