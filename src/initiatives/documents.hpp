#pragma once

#include "open311/config.hpp"
#include "open311/domain/initiative.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace open311::initiatives {

/// The URIs the documents carry: ids under the API's public origin and base path, and the
/// public pages of the initiative service.
struct Links {
    std::string api;   ///< e.g. "https://aloitteet.example.fi/api/v1"
    std::string site;  ///< e.g. "https://www.kuntalaisaloite.fi"

    std::string initiative(std::int64_t id) const;
    std::string municipality(int code) const;
};

/// The links of `config`: initiatives.api_base_url, else the origin of server.public_url, else
/// the listening address; then the base path.
Links links_for(const Config& config);

/// The municipalities, read once (they ship with the schema) with their `active` setting.
class Municipalities {
public:
    Municipalities(std::vector<Municipality> all, const std::vector<int>& active);

    const Municipality* find(int code) const;
    bool active(int code) const;
    /// Ordered by Finnish name as a Finnish reader expects (å, ä, ö after z).
    const std::vector<Municipality>& by_finnish_name() const { return sorted_; }

private:
    std::map<int, Municipality> by_code_;
    std::vector<int> active_;
    std::vector<Municipality> sorted_;
};

/// Whether `a` sorts before `b` in Finnish alphabetical order (case-insensitive).
bool finnish_less(const std::string& a, const std::string& b);

// The public documents. nlohmann::json keeps object members sorted by name, which is the
// alphabetical order the API promises; every absent value is written as null.

/// {"active", "id", "nameFi", "nameSv"}
nlohmann::json municipality_json(const Municipality& m, bool active, const Links& links);
/// One item of GET initiatives.
nlohmann::json list_item_json(const Initiative& i, const Municipalities& ms, const Links& links);
/// GET initiatives/{id}: the list item with authors, participant counts and the proposal.
/// Names of authors who did not publish theirs and the residents counter never appear.
nlohmann::json details_json(const Initiative& i, const Municipalities& ms, const Links& links);

/// The body of an answer: compact JSON in UTF-8.
std::string dump(const nlohmann::json& document);

}  // namespace open311::initiatives
