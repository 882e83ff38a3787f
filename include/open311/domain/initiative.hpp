#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace open311 {

/// A municipality of Finland: its Statistics Finland code (without leading zeros) and names.
struct Municipality {
    int code = 0;
    std::string name_fi;
    std::string name_sv;  ///< the Finnish name again where there is no Swedish one
};

/// Who may take part: the authors alone (SINGLE), anyone (COLLABORATIVE), or the municipality's
/// residents, counted towards the citizens' initiative threshold (COLLABORATIVE_CITIZEN).
enum class InitiativeType { single, collaborative, collaborative_citizen };
/// Where an initiative is in the service's moderation.
enum class InitiativeState { draft, review, accepted, published };
/// Whether a published initiative is being corrected (FIX), re-reviewed (REVIEW) or not (OK).
enum class FixState { fix, review, ok };

/// The names the API and the import file use ("SINGLE", "PUBLISHED", "OK").
std::string_view to_string(InitiativeType type);
std::string_view to_string(InitiativeState state);
std::string_view to_string(FixState state);
std::optional<InitiativeType> initiative_type_from(std::string_view name);
std::optional<InitiativeState> initiative_state_from(std::string_view name);
std::optional<FixState> fix_state_from(std::string_view name);

/// An author of an initiative. The name is personal data: published only when `is_public`.
struct InitiativeAuthor {
    std::string name;
    std::optional<int> municipality;  ///< home municipality code, when known
    bool is_public = false;
    bool operator==(const InitiativeAuthor&) const = default;
};

/// The participant counters as the initiative service keeps them.
struct ParticipantCounts {
    std::int64_t total = 0;      ///< everyone who took part through the service
    std::int64_t is_public = 0;  ///< of them, those who published their name
    std::int64_t residents = 0;  ///< of them, residents of the municipality (never published)
    std::int64_t external = 0;   ///< gathered elsewhere (on paper), on top of `total`
    bool operator==(const ParticipantCounts&) const = default;
};

/// The largest initiative id: 2^53, exact in every JSON reader.
constexpr std::int64_t kMaxInitiativeId = std::int64_t{1} << 53;

/// A municipal initiative (kuntalaisaloite). Dates are "yyyy-MM-dd".
struct Initiative {
    std::int64_t id = 0;
    std::string name;
    std::string proposal;
    InitiativeType type = InitiativeType::single;
    int municipality = 0;
    InitiativeState state = InitiativeState::draft;
    FixState fix_state = FixState::ok;
    std::optional<std::string> publish_date;
    std::optional<std::string> sent_date;
    ParticipantCounts participants;
    std::vector<InitiativeAuthor> authors;  ///< in the order given

    /// Only published initiatives that are not being corrected are public.
    bool is_public() const {
        return state == InitiativeState::published && fix_state == FixState::ok;
    }
    /// Anyone may take part in every type but SINGLE.
    bool collaborative() const { return type != InitiativeType::single; }
    bool operator==(const Initiative&) const = default;
};

/// The orders of the public list (the API's orderBy values).
enum class InitiativeOrder {
    id,                  ///< newest id first (the default)
    oldest_sent,         ///< sent date ascending, not yet sent last, ties by id ascending
    latest_sent,         ///< sent date descending, not yet sent last, ties by id descending
    most_participants,   ///< participants (with those gathered elsewhere) descending, id desc
    least_participants,  ///< participants ascending, ties by id ascending
    oldest,              ///< publish date ascending, ties by id ascending
    latest,              ///< publish date descending, ties by id descending
};

/// A page of the public list.
struct InitiativeQuery {
    std::int64_t offset = 0;
    int limit = 20;
    std::optional<int> municipality;
    InitiativeOrder order = InitiativeOrder::id;
};

}  // namespace open311
