#pragma once

#include "open311/domain/time.hpp"
#include "open311/store/store.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace open311::sandbox {

/// The sandbox's keys: fixed, so that a client's tests need no set-up.
inline constexpr std::string_view kClientKey = "sandbox-client-key";
inline constexpr std::string_view kStaffKey = "sandbox-staff-key";
inline constexpr std::string_view kAdminKey = "sandbox-admin-key";

/// Where the seed's requests lie: a box around central Helsinki.
inline constexpr double kMinLat = 60.155;
inline constexpr double kMaxLat = 60.185;
inline constexpr double kMinLon = 24.920;
inline constexpr double kMaxLon = 24.970;

/// How many published requests the seed holds (and one pending request besides).
inline constexpr int kSeedRequests = 30;

/// What the seed holds, by id, for the start banner and the tests.
struct SeedSummary {
    std::string first_request_id;
    std::string pending_request_id;
    std::string pending_update_id;
    std::string batch_token;  ///< the token of the seed's request to a batch service
};

/// Fills an empty database with the sandbox's data: the demo catalogue, the three keys, and
/// kSeedRequests published requests spread over the catalogue, open and closed, with and
/// without media links and status notes (a staff update for each note), one pending request
/// and one pending citizen update. Ids come from counters and times hang from `day_start`
/// (the start of a UTC day), so the same `seed` on the same day gives the same data.
SeedSummary load_seed(Store& store, std::uint64_t seed, Timestamp day_start);

}  // namespace open311::sandbox
