#pragma once

#include "open311/domain/abuse.hpp"
#include "open311/domain/request.hpp"

#include <cstdint>
#include <exception>
#include <functional>
#include <optional>
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
    /// Staff search: every word of it occurs in the title, description or address (ASCII
    /// letters compared case-insensitively); empty: no condition.
    std::string text;
    /// Only requests with (true) or without (false) a photo, uploaded or linked.
    std::optional<bool> has_media;
    RequestOrder order = RequestOrder::requested_desc;
    int limit = 1000;
    std::int64_t offset = 0;
    /// Read only what public answers show: no submitter, no attribute answers (faster; and
    /// personal data is then not even loaded).
    bool public_only = false;
};

/// Service requests as submitted; they change afterwards only through CaseStore.
class RequestStore {
public:
    virtual ~RequestStore() = default;

    /// Stores a new request (with its uploaded media rows) durably; returns once committed.
    virtual void insert_request(const ServiceRequest& request) = 0;
    /// A write's outcome: null once it is committed, else what failed.
    using WriteDone = std::function<void(std::exception_ptr error)>;
    /// insert_request without waiting for the commit: `done` is called exactly once, with null
    /// once the request is committed (durably, as insert_request) or with the error; this
    /// itself never throws. `answered`, when given, is an Idempotency-Key record with the
    /// request's answer, stored as AbuseStore::complete_idempotency_key would, in the same
    /// commit (or in a transaction of its own right after the request's: Store's default).
    /// A store with a group commit calls `done` from its writer thread after the batch's
    /// COMMIT, so `done` must be short and must not write to the store (it would wait on its
    /// own queue): a caller hands the rest of its work to another thread. Store's default
    /// writes synchronously and calls `done` before it returns.
    virtual void insert_request_then(ServiceRequest request,
                                     std::optional<IdempotencyRecord> answered,
                                     WriteDone done) = 0;
    /// Stores many requests in one transaction (bulk loads such as `open311d seed`).
    virtual void insert_requests(const std::vector<ServiceRequest>& requests) = 0;
    virtual std::optional<ServiceRequest> find_request(const std::string& id) = 0;
    virtual Page<ServiceRequest> search_requests(const RequestFilter& filter) = 0;
    /// The request id a batch token resolves to.
    virtual std::optional<std::string> find_request_id_by_token(const std::string& token) = 0;
};

}  // namespace open311
