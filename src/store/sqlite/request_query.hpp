#pragma once

#include "store/sqlite/where.hpp"

#include "open311/store/request_store.hpp"

#include <cstdint>
#include <optional>
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

/// The map grid cell of a point (requests.cell, migration 0012), null without one: the
/// index (state, cell, requested_at, …) reads a map filter's candidates cell by cell, inside
/// its date window, without reading their rows.
std::optional<std::int64_t> map_cell(std::optional<double> lat, std::optional<double> lon);

/// kRequestColumns without what public answers never show: NULL for the submitter's columns
/// and the attribute answers.
const std::string& public_request_columns();

/// The statements of a list query and the values their placeholders take. A list is read in
/// one of two ways:
/// - `in_index_order`: an index gives the list's order, so `list` reads the page alone
///   (LIMIT/OFFSET stops the walk early) and `count` counts the matches from an index;
/// - else (a map filter, a changeset in request-time order): `keys` reads the order key and
///   seq of every match in one pass, the total and the page's seqs are taken from them in
///   memory, and `rows` reads the page's rows by seq. Otherwise SQLite would walk the
///   matches twice (the page, then the count) and sort them as whole rows.
struct ListSql {
    Where query;
    bool in_index_order = true;
    std::string list;   ///< in_index_order: the page; placeholders, then LIMIT and OFFSET
    std::string count;  ///< in_index_order: the total
    std::string keys;   ///< else: (seq, order key) of every match, in no order
    std::string rows;   ///< else: the rows of a JSON array of seqs, in no order
    bool descending = true;
};

/// The list and count statements search_requests runs for `filter`.
ListSql list_sql(const RequestFilter& filter);

}  // namespace open311::store
