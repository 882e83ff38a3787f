#include "api/core/negotiate.hpp"

#include "util/text.hpp"

namespace open311::api {

std::optional<format::Format> strip_format_suffix(std::string& path) {
    auto ends_with = [&path](std::string_view suffix) {
        return path.size() > suffix.size() &&
               path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0 &&
               path[path.size() - suffix.size() - 1] != '/';
    };
    if (ends_with(".json")) {
        path.resize(path.size() - 5);
        return format::Format::json;
    }
    if (ends_with(".xml")) {
        path.resize(path.size() - 4);
        return format::Format::xml;
    }
    return std::nullopt;
}

format::Format negotiate_accept(std::string_view accept) {
    double json_q = -1;
    double xml_q = -1;
    for (const auto& item : split_list(accept, ',')) {
        auto semicolon = item.find(';');
        auto type = to_lower(trim(item.substr(0, semicolon)));
        double q = 1.0;
        if (semicolon != std::string::npos) {
            auto qpos = item.find("q=", semicolon);
            if (qpos != std::string::npos) {
                auto end = item.find(';', qpos);
                q = parse_decimal(trim(item.substr(qpos + 2,
                                                   end == std::string::npos ? std::string::npos
                                                                            : end - qpos - 2)))
                        .value_or(0.0);
            }
        }
        if (type == "application/json" ||
            (type.size() > 5 && type.compare(type.size() - 5, 5, "+json") == 0)) {
            json_q = std::max(json_q, q);
        } else if (type == "text/xml" || type == "application/xml") {
            xml_q = std::max(xml_q, q);
        }
    }
    return json_q > 0 && json_q > xml_q ? format::Format::json : format::Format::xml;
}

}  // namespace open311::api
