#pragma once

#include "open311/domain/api_key.hpp"
#include "open311/domain/request.hpp"
#include "open311/domain/service.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace open311 {

/// A page of results plus the number of matches over all pages.
template <typename T>
struct Page {
    std::vector<T> items;
    std::int64_t total = 0;
};

/// Orders a request list may be sorted by (a whitelist; nothing from a query reaches SQL).
enum class RequestOrder { requested_desc, requested_asc, updated_desc, updated_asc };

/// A circle on the map, radius in metres.
struct GeoCircle {
    double lat = 0;
    double lon = 0;
    double radius_m = 0;
};

/// A lat/long box.
struct GeoBox {
    double min_lon = 0;
    double min_lat = 0;
    double max_lon = 0;
    double max_lat = 0;
};

/// Filter for request lists. Empty vectors and nullopt mean "no condition".
struct RequestFilter {
    std::vector<std::string> ids;  ///< when given, every other condition but `states` is ignored
    std::vector<ModerationState> states;
    std::vector<std::string> service_codes;
    std::vector<std::string> statuses;           ///< open | closed
    std::vector<std::string> detailed_statuses;  ///< any of them present
    std::optional<Timestamp> requested_from;     ///< inclusive
    std::optional<Timestamp> requested_to;       ///< inclusive
    std::optional<Timestamp> updated_from;
    std::optional<Timestamp> updated_to;
    std::string service_object_type;
    std::string service_object_id;
    std::optional<GeoCircle> near;
    std::optional<GeoBox> box;
    RequestOrder order = RequestOrder::requested_desc;
    int limit = 1000;
    std::int64_t offset = 0;
};

/// Raised by a store for real faults (I/O, corruption, constraint bugs). Never shown to clients.
class StoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Everything the API layer needs from storage. Implementations are thread-safe; the
/// interface carries no database types, so that another backend can implement it.
class Store {
public:
    virtual ~Store() = default;

    // Service catalogue.
    /// The whole catalogue (inactive services included) ordered by code, shared and immutable:
    /// the cheap way to read it on every request.
    virtual std::shared_ptr<const std::vector<Service>> catalogue_snapshot() = 0;
    /// Every service ordered by code; inactive ones only when asked.
    virtual std::vector<Service> list_services(bool include_inactive) = 0;
    virtual std::optional<Service> find_service(const std::string& code) = 0;
    /// Inserts or replaces each service with its translations and attributes, in one transaction.
    virtual void upsert_services(const std::vector<Service>& services) = 0;
    virtual std::int64_t count_services() = 0;

    // Service requests.
    /// Stores a new request (with its uploaded media rows) durably; returns once committed.
    virtual void insert_request(const ServiceRequest& request) = 0;
    virtual std::optional<ServiceRequest> find_request(const std::string& id) = 0;
    virtual Page<ServiceRequest> search_requests(const RequestFilter& filter) = 0;
    /// The request id a batch token resolves to.
    virtual std::optional<std::string> find_request_id_by_token(const std::string& token) = 0;
    /// Sets the moderation state (and the rejection reason); nullopt when the id is unknown.
    virtual std::optional<ServiceRequest> set_moderation_state(const std::string& id,
                                                               ModerationState state,
                                                               const std::string& reason,
                                                               Timestamp at) = 0;

    // Media.
    /// An uploaded file by its name, with its request's id and moderation state.
    virtual std::optional<MediaEntry> find_media(const std::string& name) = 0;
    /// Removes one uploaded file from a request (the file itself is the media storage's);
    /// false when the request has no file by that name. `actor` is the staff key's name.
    virtual bool delete_media(const std::string& request_id,
                              const std::string& name,
                              const std::string& actor,
                              Timestamp at) = 0;

    // API keys.
    /// Stores a key by the hash of its secret; false when the name is taken.
    virtual bool insert_key(const ApiKey& key, const std::string& secret_hash) = 0;
    virtual std::vector<ApiKey> list_keys() = 0;
    /// Marks a key revoked; false when no live key has that name.
    virtual bool revoke_key(const std::string& name, Timestamp at) = 0;
    virtual std::optional<ApiKey> find_key_by_hash(const std::string& secret_hash) = 0;
};

}  // namespace open311
