#pragma once

#include "store/postgres/pq.hpp"

#include "open311/store/request_store.hpp"

#include <string>
#include <string_view>

namespace open311::store::pg {

// The columns read_request reads, in its order: the staff set, with the submitter.
// public_request_columns() replaces the submitter's columns, so they stay on one line.
inline constexpr std::string_view kRequestColumns = R"sql(
    r.seq, r.id, r.service_code, r.state, r.status, r.detailed_status, r.status_notes, r.title,
    r.description, r.agency_responsible, r.service_notice, r.requested_at, r.updated_at,
    r.expected_at, r.address, r.address_id, r.zipcode, r.lat, r.long, r.service_object_type,
    r.service_object_id, r.media_urls, r.attributes, r.can_be_published, r.reject_reason,
    r.api_key_name, r.token,
    p.email, p.first_name, p.last_name, p.phone, p.device_id, p.account_id, p.locale,
    r.version,
    (SELECT json_agg(json_build_array(m.name, m.content_type, m.size) ORDER BY m.position)
     FROM request_media m
     WHERE m.request_seq = r.seq))sql";

/// kRequestColumns without what public answers never show: NULL for the submitter's columns
/// and the attribute answers.
const std::string& public_request_columns();

/// The two statements of a list query with their parameters.
struct ListSql {
    std::string list;  ///< its last two parameters are LIMIT and OFFSET
    Params list_params;
    std::string count;
    Params count_params;
};

/// The list and count statements search_requests runs for `filter`.
ListSql list_sql(const RequestFilter& filter);

}  // namespace open311::store::pg
