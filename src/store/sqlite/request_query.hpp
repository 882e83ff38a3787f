#pragma once

#include "store/sqlite/where.hpp"

#include "open311/store/request_store.hpp"

#include <string>
#include <string_view>

namespace open311::store {

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
    (SELECT json_group_array(json_array(m.name, m.content_type, m.size))
     FROM (SELECT name, content_type, size
           FROM request_media
           WHERE request_seq = r.seq
           ORDER BY position) m))sql";

/// A time as the map index's third dimension: thousands of days since 1970 (as in migration
/// 0006). In seconds, its range would dwarf the degrees of the other two, and the R*Tree's
/// splits would cluster by time alone: a spatial query then visits most of the tree.
double geo_time(Timestamp t);

/// kRequestColumns without what public answers never show: NULL for the submitter's columns
/// and the attribute answers.
const std::string& public_request_columns();

/// The two statements of a list query and the values their placeholders take.
struct ListSql {
    Where query;
    std::string list;
    std::string count;
};

/// The list and count statements search_requests runs for `filter`.
ListSql list_sql(const RequestFilter& filter);

}  // namespace open311::store
