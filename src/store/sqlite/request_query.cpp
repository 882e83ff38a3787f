// The SQL of request lists: whitelisted fragments with `?` placeholders, an index-friendly
// order, and the R*Tree for map filters.
#include "store/sqlite/request_query.hpp"

#include "domain/enum_names.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>

namespace open311::store {

/// A time as the map index's third dimension: thousands of days since 1970 (as in migration
/// 0006). In seconds, its range would dwarf the degrees of the other two, and the R*Tree's
/// splits would cluster by time alone: a spatial query then visits most of the tree.
double geo_time(Timestamp t) {
    return static_cast<double>(t) / 86'400'000.0;
}

/// kRequestColumns without what public answers never show: NULL for the submitter's columns
/// and the attribute answers.
const std::string& public_request_columns() {
    static const std::string columns = [] {
        std::string c(kRequestColumns);
        auto replace = [&c](std::string_view from, std::string_view to) {
            c.replace(c.find(from), from.size(), to);
        };
        replace("p.email, p.first_name, p.last_name, p.phone, p.device_id, p.account_id, p.locale",
                "NULL, NULL, NULL, NULL, NULL, NULL, NULL");
        replace("r.attributes", "NULL");
        return c;
    }();
    return columns;
}

namespace {

constexpr double kMetresPerDegreeLat = 111320.0;

Where build_query(const RequestFilter& f, bool& uses_geo) {
    Where q;
    uses_geo = false;
    if (!f.states.empty()) {
        q.add_in("r.state", f.states);
    }
    if (!f.ids.empty()) {
        q.add_in("r.id", f.ids);
        return q;
    }
    if (!f.service_codes.empty()) {
        q.add_in("r.service_code", f.service_codes);
    }
    if (!f.statuses.empty()) {
        q.add_in("r.status", f.statuses);
    }
    if (!f.detailed_statuses.empty()) {
        std::string any;
        for (const auto& d : f.detailed_statuses) {
            any += std::string(any.empty() ? "" : " OR ") +
                   "instr(',' || r.detailed_status || ',', ?) > 0";
            q.args.emplace_back("," + d + ",");
        }
        q.add("(" + any + ")");
    }
    auto range = [&q](const char* column,
                      const std::optional<Timestamp>& from,
                      const std::optional<Timestamp>& to) {
        if (from) {
            q.add(std::string(column) + " >= ?");
            q.args.emplace_back(*from);
        }
        if (to) {
            q.add(std::string(column) + " <= ?");
            q.args.emplace_back(*to);
        }
    };
    range("r.requested_at", f.requested_from, f.requested_to);
    if (f.box || f.near) {
        // The R*Tree has the submission time as a third dimension: the date window prunes the
        // search there. Its coordinates are 32-bit floats rounded outwards, so the window is
        // tested as an overlap with the stored interval, and exactly on the row above.
        if (f.requested_from) {
            q.add("g.max_time >= ?");
            q.args.emplace_back(geo_time(*f.requested_from));
        }
        if (f.requested_to) {
            q.add("g.min_time <= ?");
            q.args.emplace_back(geo_time(*f.requested_to));
        }
    }
    range("r.updated_at", f.updated_from, f.updated_to);
    for (const auto& word : split_nonempty(f.text, ' ')) {
        q.add("instr(lower(r.title || ' ' || r.description || ' ' || r.address), ?) > 0");
        q.args.emplace_back(to_lower(word));
    }
    if (f.has_media) {
        q.add(std::string(*f.has_media ? "" : "NOT ") +
              "(r.media_urls <> '[]' OR EXISTS (SELECT 1 FROM request_media m "
              "WHERE m.request_seq = r.seq))");
    }
    if (!f.service_object_type.empty()) {
        q.add("r.service_object_type = ?");
        q.args.emplace_back(f.service_object_type);
    }
    if (!f.service_object_id.empty()) {
        q.add("r.service_object_id = ?");
        q.args.emplace_back(f.service_object_id);
    }
    if (f.box) {
        uses_geo = true;
        q.add("g.min_lat >= ? AND g.max_lat <= ? AND g.min_long >= ? AND g.max_long <= ?");
        q.args.emplace_back(f.box->min_lat);
        q.args.emplace_back(f.box->max_lat);
        q.args.emplace_back(f.box->min_lon);
        q.args.emplace_back(f.box->max_lon);
    }
    if (f.near) {
        uses_geo = true;
        // The R*Tree narrows to the enclosing box; the exact test uses an equirectangular
        // distance, accurate to well under 1 % at city scale.
        const double cos_lat = std::cos(f.near->lat * M_PI / 180.0);
        const double dlat = f.near->radius_m / kMetresPerDegreeLat;
        const double dlon = f.near->radius_m / (kMetresPerDegreeLat * std::max(cos_lat, 0.01));
        q.add("g.min_lat >= ? AND g.max_lat <= ? AND g.min_long >= ? AND g.max_long <= ?");
        q.args.emplace_back(f.near->lat - dlat);
        q.args.emplace_back(f.near->lat + dlat);
        q.args.emplace_back(f.near->lon - dlon);
        q.args.emplace_back(f.near->lon + dlon);
        q.add("((r.lat - ?) * (r.lat - ?) * ? + (r.long - ?) * (r.long - ?) * ?) <= ?");
        const double ky = kMetresPerDegreeLat * kMetresPerDegreeLat;
        const double kx = ky * cos_lat * cos_lat;
        q.args.emplace_back(f.near->lat);
        q.args.emplace_back(f.near->lat);
        q.args.emplace_back(ky);
        q.args.emplace_back(f.near->lon);
        q.args.emplace_back(f.near->lon);
        q.args.emplace_back(kx);
        q.args.emplace_back(f.near->radius_m * f.near->radius_m);
    }
    return q;
}

const char* order_sql(RequestOrder order) {
    static constexpr EnumNames<RequestOrder, 4> kOrders({
        " ORDER BY r.requested_at DESC, r.seq DESC",
        " ORDER BY r.requested_at ASC, r.seq ASC",
        " ORDER BY r.updated_at DESC, r.seq DESC",
        " ORDER BY r.updated_at ASC, r.seq ASC",
    });
    return kOrders.name(order);
}

/// The ORDER BY clause. A changeset query (updated_after/before) ordered by the request time
/// gets a unary + on that column: otherwise SQLite walks the requested_at index through every
/// published request to avoid a sort, testing each one's updated_at (measured 100x slower);
/// the updated_at range is narrow in practice, so reading it by index and sorting wins.
std::string order_sql(const RequestFilter& f) {
    const bool changeset = f.updated_from || f.updated_to;
    const bool by_requested =
        f.order == RequestOrder::requested_desc || f.order == RequestOrder::requested_asc;
    std::string out = order_sql(f.order);
    if (changeset && by_requested) {
        out.replace(out.find("r.requested_at"), 1, "+r");
    }
    return out;
}

}  // namespace

ListSql list_sql(const RequestFilter& filter) {
    ListSql out;
    bool uses_geo = false;
    out.query = build_query(filter, uses_geo);
    // With a map filter the R*Tree drives the query (CROSS JOIN fixes the join order).
    const std::string from = uses_geo ? " FROM requests_geo g CROSS JOIN requests r ON r.seq = g.id"
                                      : " FROM requests r";
    // Public lists never show the submitter or the attribute answers: their table is not
    // joined and the column is not read (same column positions, NULL instead).
    out.list = filter.public_only ? "SELECT " + public_request_columns() + from + out.query.sql +
                                        order_sql(filter) + " LIMIT ? OFFSET ?"
                                  : "SELECT " + std::string(kRequestColumns) + from +
                                        " LEFT JOIN request_submitters p ON p.request_seq = r.seq" +
                                        out.query.sql + order_sql(filter) + " LIMIT ? OFFSET ?";
    out.count = "SELECT COUNT(*)" + from + out.query.sql;
    return out;
}

}  // namespace open311::store
