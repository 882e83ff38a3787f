// The public documents of the initiatives API, shaped as the kuntalaisaloite open data API
// writes them (docs/initiatives.md).
#include "initiatives/documents.hpp"

#include <algorithm>

namespace open311::initiatives {

std::string Links::initiative(std::int64_t id) const {
    return api + "/initiatives/" + std::to_string(id);
}

std::string Links::municipality(int code) const {
    return api + "/municipalities/" + std::to_string(code);
}

Links links_for(const Config& config) {
    std::string origin = config.initiatives.api_base_url;
    if (origin.empty() && !config.public_url.empty()) {
        // server.public_url may carry the Open311 base path: keep scheme://host[:port].
        origin = config.public_url;
        const auto scheme = origin.find("://");
        const auto slash = origin.find('/', scheme == std::string::npos ? 0 : scheme + 3);
        if (slash != std::string::npos) {
            origin.resize(slash);
        }
    }
    if (origin.empty()) {
        origin = std::string(listen_scheme(config)) + "://" + config.listen_host + ":" +
                 std::to_string(config.listen_port);
    }
    return Links{origin + config.initiatives.base_path, config.initiatives.site_base_url};
}

namespace {

/// The sort key of one character for Finnish order: letters without case, å ä ö after z,
/// and the letters Finnish treats as variants (é, ü, …) beside their base letter.
std::uint32_t finnish_key(std::uint32_t c) {
    if (c >= 'A' && c <= 'Z') {
        return c - 'A' + 'a';
    }
    switch (c) {
        case 0xC5:  // Å
        case 0xE5:
            return 'z' + 1;
        case 0xC4:  // Ä
        case 0xE4:
            return 'z' + 2;
        case 0xD6:  // Ö
        case 0xF6:
            return 'z' + 3;
        case 0xC9:  // É
        case 0xE9:
        case 0xC8:
        case 0xE8:
            return 'e';
        case 0xDC:  // Ü
        case 0xFC:
            return 'y';
        default:
            return c;
    }
}

std::vector<std::uint32_t> sort_key(const std::string& text) {
    std::vector<std::uint32_t> out;
    for (std::size_t i = 0; i < text.size();) {
        auto b = static_cast<unsigned char>(text[i]);
        std::uint32_t c = b;
        std::size_t len = 1;
        if (b >= 0xC0 && b < 0xE0 && i + 1 < text.size()) {
            c = ((b & 0x1FU) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3FU);
            len = 2;
        } else if (b >= 0xE0) {
            c = 0x10000 + b;  // beyond Latin-1: order by lead byte, after every letter above
            len = 1;
        }
        out.push_back(finnish_key(c));
        i += len;
    }
    return out;
}

nlohmann::json date_or_null(const std::optional<std::string>& date) {
    return date ? nlohmann::json(*date) : nlohmann::json(nullptr);
}

nlohmann::json municipality_of(int code, const Municipalities& ms, const Links& links) {
    const Municipality* m = ms.find(code);
    if (m == nullptr) {
        return nullptr;
    }
    return municipality_json(*m, ms.active(code), links);
}

}  // namespace

bool finnish_less(const std::string& a, const std::string& b) {
    return sort_key(a) < sort_key(b);
}

Municipalities::Municipalities(std::vector<Municipality> all, const std::vector<int>& active)
    : active_(active), sorted_(all) {
    for (auto& m : all) {
        const int code = m.code;
        by_code_.emplace(code, std::move(m));
    }
    std::sort(active_.begin(), active_.end());
    std::stable_sort(sorted_.begin(), sorted_.end(), [](const auto& a, const auto& b) {
        return finnish_less(a.name_fi, b.name_fi);
    });
}

const Municipality* Municipalities::find(int code) const {
    auto it = by_code_.find(code);
    return it == by_code_.end() ? nullptr : &it->second;
}

bool Municipalities::active(int code) const {
    return std::binary_search(active_.begin(), active_.end(), code);
}

nlohmann::json municipality_json(const Municipality& m, bool active, const Links& links) {
    return {{"active", active},
            {"id", links.municipality(m.code)},
            {"nameFi", m.name_fi},
            {"nameSv", m.name_sv}};
}

nlohmann::json list_item_json(const Initiative& i, const Municipalities& ms, const Links& links) {
    nlohmann::json out = {
        {"collaborative", i.collaborative()},
        {"id", links.initiative(i.id)},
        {"municipality", municipality_of(i.municipality, ms, links)},
        {"name", i.name},
        // Everyone counted: through the service and gathered elsewhere.
        {"participantCount", i.participants.total + i.participants.external},
        {"publishDate", date_or_null(i.publish_date)},
        {"sentTime", date_or_null(i.sent_date)},
        {"type", std::string(to_string(i.type))},
        {"url",
         {{"fi", links.site + "/fi/aloite/" + std::to_string(i.id)},
          {"sv", links.site + "/sv/initiativ/" + std::to_string(i.id)}}},
    };
    return out;
}

nlohmann::json details_json(const Initiative& i, const Municipalities& ms, const Links& links) {
    nlohmann::json out = list_item_json(i, ms, links);
    // Author names are whitelisted: only those who published theirs are written.
    nlohmann::json public_authors = nlohmann::json::array();
    std::int64_t private_names = 0;
    for (const auto& a : i.authors) {
        if (!a.is_public) {
            ++private_names;
            continue;
        }
        public_authors.push_back({{"municipality",
                                   a.municipality ? municipality_of(*a.municipality, ms, links)
                                                  : nlohmann::json(nullptr)},
                                  {"name", a.name}});
    }
    const auto public_names = static_cast<std::int64_t>(public_authors.size());
    out["authors"] = {{"privateNames", private_names},
                      {"publicAuthors", std::move(public_authors)},
                      {"publicNames", public_names}};
    // Names are gathered only where people can take part; a SINGLE initiative's counters
    // still add up to the list's participantCount through `total`.
    const auto& p = i.participants;
    const bool named = i.collaborative();
    out["participantCount"] = {{"externalNames", p.external},
                               {"privateNames", named ? p.total - p.is_public : 0},
                               {"publicNames", named ? p.is_public : 0},
                               {"total", p.total + p.external}};
    out["proposal"] = i.proposal;
    return out;
}

std::string dump(const nlohmann::json& document) {
    return document.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace open311::initiatives
