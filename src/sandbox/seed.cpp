// The sandbox's seed. It is initial data, like `open311d seed`: written straight into the
// store before the server takes a request, not a change of a case.
#include "sandbox/seed.hpp"

#include "catalogue/catalogue_file.hpp"
#include "seed/generator.hpp"
#include "util/embedded.hpp"
#include "util/random.hpp"

#include <algorithm>
#include <array>

namespace open311::sandbox {
namespace {

constexpr Timestamp kDay = 86400;

void add_keys(Store& store, Timestamp at) {
    const std::array<std::pair<std::string_view, Role>, 3> keys{{
        {kClientKey, Role::client},
        {kStaffKey, Role::staff},
        {kAdminKey, Role::admin},
    }};
    for (const auto& [secret, role] : keys) {
        ApiKey key;
        key.name = std::string(secret.substr(0, secret.size() - 4));  // "sandbox-client"
        key.role = role;
        key.prefix = std::string(secret.substr(0, 9));
        key.created_at = at;
        store.insert_key(key, sha256_hex(std::string(secret)));
    }
}

std::string numbered(int base, int n) {
    return std::to_string(base + n);
}

}  // namespace

SeedSummary load_seed(Store& store, std::uint64_t seed, Timestamp day_start) {
    SeedSummary out;
    auto file = embedded_demo_catalogue().front();
    store.upsert_services(catalogue::parse_catalogue(std::string(file.content)));
    add_keys(store, day_start - 30 * kDay);

    std::vector<std::string> codes;
    std::string batch_code;
    for (const auto& service : store.list_services(false)) {
        codes.push_back(service.code);
        if (service.type == ServiceType::batch && batch_code.empty()) {
            batch_code = service.code;
        }
    }
    // Sixty days before the day's start: inside the default 90-day window for the whole day.
    seed::Generator generator(
        codes, day_start, seed, seed::Area{kMinLat, kMaxLat, kMinLon, kMaxLon}, 60 * kDay);

    std::vector<ServiceRequest> requests;
    std::vector<RequestUpdate> notes;
    for (int i = 0; i < kSeedRequests; ++i) {
        ServiceRequest r = generator.next();
        r.id = numbered(1001, i);
        r.service_code = codes[static_cast<std::size_t>(i) % codes.size()];
        r.api_key_name = "sandbox-client";
        // Every third request closed, the rest open at one stage or another.
        const bool closed = i % 3 == 2;
        r.status = closed ? "closed" : "open";
        r.detailed_status = closed ? (i % 2 == 0 ? "PROCESSED" : "PUBLIC_WORKS_COMPLETED,PROCESSED")
                                   : (i % 2 == 0 ? "RECEIVED" : "IN_PROCESS");
        r.status_notes = closed       ? (i % 2 == 0 ? "Kiitos palautteesta. Korjaus on tehty." : "")
                         : i % 4 == 1 ? "Asia on välitetty kunnossapidolle."
                                      : "";
        r.expected_at = std::nullopt;
        if (!closed && i % 5 == 0) {
            r.expected_at = day_start + 14 * kDay;
        }
        if (i % 4 == 0) {
            r.media_urls = {"https://example.org/open311-sandbox/photo-" + r.id + ".jpg"};
        }
        if (r.service_code == batch_code) {
            r.token = "sandbox-token-" + r.id;
            if (out.batch_token.empty()) {
                out.batch_token = r.token;
            }
        }
        if (!r.status_notes.empty() && i >= kSeedRequests - 6) {
            // The last notes were written in the last hours before the day began: the updates
            // feed's default window (24 hours) holds them for most of the day.
            r.updated_at = std::max(r.requested_at, day_start - (kSeedRequests - i) * 1800);
        }
        if (!r.status_notes.empty()) {
            RequestUpdate u;
            u.id = numbered(2001, static_cast<int>(notes.size()));
            u.request_id = r.id;
            u.state = ModerationState::published;
            u.status = r.status;
            u.external_status = closed ? "fixed" : "action scheduled";
            u.detailed_status = r.detailed_status;
            u.description = r.status_notes;
            u.at = r.updated_at;
            u.source = UpdateSource::staff;
            u.api_key_name = "sandbox-staff";
            notes.push_back(std::move(u));
        }
        requests.push_back(std::move(r));
    }
    out.first_request_id = requests.front().id;

    ServiceRequest pending = generator.next();
    pending.id = numbered(1001, kSeedRequests);
    pending.service_code = codes.front();
    pending.state = ModerationState::pending;
    pending.status = "open";
    pending.detailed_status = "RECEIVED";
    pending.status_notes.clear();
    pending.api_key_name = "sandbox-client";
    pending.requested_at = day_start - 2 * 3600;
    pending.updated_at = pending.requested_at;
    out.pending_request_id = pending.id;
    requests.push_back(std::move(pending));
    store.insert_requests(requests);

    for (const auto& update : notes) {
        RequestChange change;
        change.request_id = update.request_id;
        change.new_updates.push_back(update);
        store.commit_request_change(change);
    }

    // A citizen's update to the first request, awaiting moderation.
    RequestUpdate citizen;
    citizen.id = numbered(3001, 0);
    citizen.request_id = out.first_request_id;
    citizen.state = ModerationState::pending;
    citizen.status = "open";
    citizen.description = "Tilanne on edelleen sama, asiaa ei ole korjattu.";
    citizen.detailed_status = requests.front().detailed_status;
    citizen.at = day_start - 3600;
    citizen.source = UpdateSource::client;
    citizen.api_key_name = "sandbox-client";
    RequestChange change;
    change.request_id = citizen.request_id;
    change.new_updates.push_back(citizen);
    store.commit_request_change(change);
    out.pending_update_id = citizen.id;
    return out;
}

}  // namespace open311::sandbox
