#include "validate/public_query.hpp"

#include "util/text.hpp"
#include "validate/fields.hpp"

#include <algorithm>

namespace open311::validate {

std::optional<ApiError> check_jurisdiction(const Config& config, const form::Params& params) {
    if (config.jurisdictions.size() <= 1) {
        return std::nullopt;
    }
    auto id = params.get("jurisdiction_id");
    if (!id) {
        return ApiError{ErrorCode::bad_request, "jurisdiction_id: required by this server"};
    }
    if (std::find(config.jurisdictions.begin(), config.jurisdictions.end(), *id) ==
        config.jurisdictions.end()) {
        return ApiError{ErrorCode::not_found,
                        "jurisdiction_id: unknown jurisdiction '" + *id + "'"};
    }
    return std::nullopt;
}

std::string locale_of(const Config& config, const form::Params& params) {
    auto requested = params.get("locale");
    if (!requested) {
        return config.default_locale;
    }
    auto language = to_lower(requested->substr(0, requested->find_first_of("_-")));
    if (std::find(config.locales.begin(), config.locales.end(), language) != config.locales.end()) {
        return language;
    }
    return config.default_locale;
}

bool read_bool(const form::Params& params,
               const std::string& name,
               bool fallback,
               std::vector<ApiError>& errors) {
    auto v = params.get(name);
    if (!v) {
        return fallback;
    }
    auto lower = to_lower(trim(*v));
    if (lower == "true") {
        return true;
    }
    if (lower == "false") {
        return false;
    }
    errors.push_back(bad(name + ": expected true or false"));
    return fallback;
}

}  // namespace open311::validate
