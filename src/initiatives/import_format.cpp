// The import format of initiatives: strict reading (every member checked, unknown ones
// refused by name) and writing, shared by the command line and the admin API.
#include "initiatives/import_format.hpp"

#include <array>
#include <charconv>

namespace open311::initiatives {
namespace {

constexpr std::int64_t kMaxCount = 1'000'000'000;
constexpr std::size_t kMaxNameBytes = 1000;
constexpr std::size_t kMaxProposalBytes = 100'000;

/// Reads the members of one object, reporting each problem as "where.member: why".
class Reader {
public:
    Reader(const nlohmann::json& object, std::string where, std::vector<std::string>& errors)
        : object_(object), where_(std::move(where)), errors_(errors) {}

    void fail(const std::string& member, const std::string& why) {
        errors_.push_back(where_ + (member.empty() ? "" : "." + member) + ": " + why);
    }
    const nlohmann::json* member(const char* name, bool required) {
        auto it = object_.find(name);
        if (it == object_.end()) {
            if (required) {
                fail(name, "missing");
            }
            return nullptr;
        }
        return &*it;
    }
    void refuse_unknown(std::initializer_list<std::string_view> allowed) {
        for (const auto& [name, value] : object_.items()) {
            bool known = false;
            for (auto a : allowed) {
                known = known || a == name;
            }
            if (!known) {
                fail(name, "unknown member");
            }
        }
    }
    std::optional<std::int64_t> integer(const char* name, std::int64_t min, std::int64_t max) {
        const auto* v = member(name, true);
        if (v == nullptr) {
            return std::nullopt;
        }
        if (!v->is_number_integer()) {
            fail(name, "expected a whole number");
            return std::nullopt;
        }
        // Unsigned values above the signed range are refused as too large.
        const bool too_large =
            v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max);
        const auto n = too_large ? max + 1 : v->get<std::int64_t>();
        if (n < min || n > max) {
            fail(name,
                 "expected a whole number from " + std::to_string(min) + " to " +
                     std::to_string(max));
            return std::nullopt;
        }
        return n;
    }
    std::optional<std::string> text(const char* name, std::size_t min, std::size_t max) {
        const auto* v = member(name, true);
        if (v == nullptr) {
            return std::nullopt;
        }
        if (!v->is_string()) {
            fail(name, "expected a string");
            return std::nullopt;
        }
        auto s = v->get<std::string>();
        if (s.size() < min || s.size() > max) {
            fail(name,
                 min > 0 ? "expected 1 to " + std::to_string(max) + " bytes of text"
                         : "expected at most " + std::to_string(max) + " bytes of text");
            return std::nullopt;
        }
        return s;
    }
    /// A date or null; a missing member is null.
    std::optional<std::string> date(const char* name, bool& ok) {
        const auto* v = member(name, false);
        if (v == nullptr || v->is_null()) {
            return std::nullopt;
        }
        if (!v->is_string() || !valid_date(v->get<std::string>())) {
            fail(name, "expected a date yyyy-MM-dd or null");
            ok = false;
            return std::nullopt;
        }
        return v->get<std::string>();
    }
    template <typename E>
    std::optional<E> choice(const char* name,
                            std::optional<E> (*from)(std::string_view),
                            const char* names,
                            std::optional<E> fallback = std::nullopt) {
        const nlohmann::json* v = member(name, !fallback.has_value());
        if (v == nullptr) {
            return fallback;
        }
        std::optional<E> out;
        if (v->is_string()) {
            out = from(v->get<std::string>());
        }
        if (!out) {
            fail(name, std::string("expected one of ") + names);
        }
        return out;
    }
    std::optional<int> municipality(const char* name, const std::set<int>& known, bool nullable) {
        const auto* v = member(name, !nullable);
        if (v == nullptr || (nullable && v->is_null())) {
            return std::nullopt;
        }
        if (!v->is_number_integer() || v->get<std::int64_t>() < 1 || v->get<std::int64_t>() > 999 ||
            known.count(v->get<int>()) == 0) {
            fail(name,
                 std::string("expected the Statistics Finland code of a municipality") +
                     (nullable ? " or null" : "") + " (e.g. 91 for Helsinki)");
            return std::nullopt;
        }
        return v->get<int>();
    }

private:
    const nlohmann::json& object_;
    std::string where_;
    std::vector<std::string>& errors_;
};

void read_participants(const nlohmann::json& v,
                       const std::string& where,
                       ParticipantCounts& out,
                       std::vector<std::string>& errors) {
    if (!v.is_object()) {
        errors.push_back(where + ": expected an object {total, public, residents, external}");
        return;
    }
    Reader r(v, where, errors);
    r.refuse_unknown({"total", "public", "residents", "external"});
    auto total = r.integer("total", 0, kMaxCount);
    auto is_public = r.integer("public", 0, kMaxCount);
    auto residents = r.integer("residents", 0, kMaxCount);
    auto external = r.integer("external", 0, kMaxCount);
    if (total && is_public && *is_public > *total) {
        r.fail("public", "must not exceed total (" + std::to_string(*total) + ")");
    }
    if (total && residents && *residents > *total) {
        r.fail("residents", "must not exceed total (" + std::to_string(*total) + ")");
    }
    out = ParticipantCounts{
        total.value_or(0), is_public.value_or(0), residents.value_or(0), external.value_or(0)};
}

void read_authors(const nlohmann::json& v,
                  const std::string& where,
                  const std::set<int>& known,
                  std::vector<InitiativeAuthor>& out,
                  std::vector<std::string>& errors) {
    if (!v.is_array()) {
        errors.push_back(where + ": expected an array of authors");
        return;
    }
    for (std::size_t n = 0; n < v.size(); ++n) {
        const std::string at = where + "[" + std::to_string(n) + "]";
        if (!v[n].is_object()) {
            errors.push_back(at + ": expected an object {name, municipality, public}");
            continue;
        }
        Reader r(v[n], at, errors);
        r.refuse_unknown({"name", "municipality", "public"});
        InitiativeAuthor a;
        a.name = r.text("name", 1, kMaxNameBytes).value_or("");
        a.municipality = r.municipality("municipality", known, true);
        if (const auto* p = r.member("public", true); p != nullptr) {
            if (p->is_boolean()) {
                a.is_public = p->get<bool>();
            } else {
                r.fail("public", "expected true or false");
            }
        }
        out.push_back(std::move(a));
    }
}

}  // namespace

bool valid_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') {
        return false;
    }
    auto number = [&](std::size_t from, std::size_t len, int& out) {
        auto [ptr, ec] = std::from_chars(s.data() + from, s.data() + from + len, out);
        return ec == std::errc{} && ptr == s.data() + from + len;
    };
    int y = 0;
    int m = 0;
    int d = 0;
    if (!number(0, 4, y) || !number(5, 2, m) || !number(8, 2, d) || s[5] == '+' || s[8] == '+') {
        return false;
    }
    static constexpr std::array<int, 12> kDays{31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > kDays[static_cast<std::size_t>(m - 1)]) {
        return false;
    }
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

std::optional<Initiative> read_initiative(const nlohmann::json& object,
                                          const std::string& where,
                                          const std::set<int>& known,
                                          std::optional<std::int64_t> id_from_path,
                                          std::vector<std::string>& errors) {
    const auto before = errors.size();
    if (!object.is_object()) {
        errors.push_back(where + ": expected an initiative object");
        return std::nullopt;
    }
    Reader r(object, where, errors);
    r.refuse_unknown({"id",
                      "name",
                      "proposal",
                      "type",
                      "municipality",
                      "state",
                      "fix_state",
                      "publish_date",
                      "sent_date",
                      "participants",
                      "authors"});
    Initiative i;
    if (id_from_path && !object.contains("id")) {
        i.id = *id_from_path;
    } else {
        auto id = r.integer("id", 1, kMaxInitiativeId);
        i.id = id.value_or(0);
        if (id && id_from_path && *id != *id_from_path) {
            r.fail("id", "differs from the id in the path (" + std::to_string(*id_from_path) + ")");
        }
    }
    i.name = r.text("name", 1, kMaxNameBytes).value_or("");
    i.proposal = r.text("proposal", 0, kMaxProposalBytes).value_or("");
    i.type = r.choice<InitiativeType>(
                  "type", initiative_type_from, "SINGLE, COLLABORATIVE, COLLABORATIVE_CITIZEN")
                 .value_or(InitiativeType::single);
    i.municipality = r.municipality("municipality", known, false).value_or(0);
    i.state = r.choice<InitiativeState>(
                   "state", initiative_state_from, "DRAFT, REVIEW, ACCEPTED, PUBLISHED")
                  .value_or(InitiativeState::draft);
    i.fix_state = r.choice<FixState>("fix_state", fix_state_from, "FIX, REVIEW, OK", FixState::ok)
                      .value_or(FixState::ok);
    bool dates_ok = true;
    i.publish_date = r.date("publish_date", dates_ok);
    i.sent_date = r.date("sent_date", dates_ok);
    if (dates_ok && i.state == InitiativeState::published && !i.publish_date) {
        r.fail("publish_date", "required when state is PUBLISHED");
    }
    if (dates_ok && i.sent_date && !i.publish_date) {
        r.fail("sent_date", "a sent initiative needs a publish_date");
    }
    if (dates_ok && i.sent_date && i.publish_date && *i.sent_date < *i.publish_date) {
        r.fail("sent_date", "must not be before publish_date (" + *i.publish_date + ")");
    }
    if (const auto* p = r.member("participants", true); p != nullptr) {
        read_participants(*p, where + ".participants", i.participants, errors);
    }
    if (const auto* a = r.member("authors", true); a != nullptr) {
        read_authors(*a, where + ".authors", known, i.authors, errors);
    }
    if (errors.size() != before) {
        return std::nullopt;
    }
    return i;
}

ImportFile read_import_file(std::string_view text, const std::set<int>& known) {
    ImportFile out;
    nlohmann::json root;
    try {
        root = nlohmann::json::parse(text);
    } catch (const nlohmann::json::parse_error& e) {
        out.errors.push_back(std::string("not valid JSON (UTF-8): ") + e.what());
        return out;
    }
    if (!root.is_object()) {
        out.errors.emplace_back("expected an object {\"initiatives\": [ … ]}");
        return out;
    }
    for (const auto& [name, value] : root.items()) {
        if (name != "initiatives") {
            out.errors.push_back(name + ": unknown member");
        }
    }
    auto list = root.find("initiatives");
    if (list == root.end() || !list->is_array()) {
        out.errors.emplace_back("initiatives: expected an array of initiative objects");
        return out;
    }
    std::set<std::int64_t> seen;
    std::vector<Initiative> read;
    for (std::size_t n = 0; n < list->size(); ++n) {
        const std::string where = "initiatives[" + std::to_string(n) + "]";
        auto i = read_initiative((*list)[n], where, known, std::nullopt, out.errors);
        if (i && !seen.insert(i->id).second) {
            out.errors.push_back(where + ".id: " + std::to_string(i->id) +
                                 " appears more than once in the file");
        }
        if (i) {
            read.push_back(std::move(*i));
        }
    }
    if (out.errors.empty()) {
        out.initiatives = std::move(read);
    }
    return out;
}

nlohmann::ordered_json import_object(const Initiative& i) {
    auto date = [](const std::optional<std::string>& d) {
        return d ? nlohmann::ordered_json(*d) : nlohmann::ordered_json(nullptr);
    };
    nlohmann::ordered_json authors = nlohmann::ordered_json::array();
    for (const auto& a : i.authors) {
        authors.push_back({{"name", a.name},
                           {"municipality",
                            a.municipality ? nlohmann::ordered_json(*a.municipality)
                                           : nlohmann::ordered_json(nullptr)},
                           {"public", a.is_public}});
    }
    return {{"id", i.id},
            {"name", i.name},
            {"proposal", i.proposal},
            {"type", std::string(to_string(i.type))},
            {"municipality", i.municipality},
            {"state", std::string(to_string(i.state))},
            {"fix_state", std::string(to_string(i.fix_state))},
            {"publish_date", date(i.publish_date)},
            {"sent_date", date(i.sent_date)},
            {"participants",
             {{"total", i.participants.total},
              {"public", i.participants.is_public},
              {"residents", i.participants.residents},
              {"external", i.participants.external}}},
            {"authors", std::move(authors)}};
}

}  // namespace open311::initiatives
