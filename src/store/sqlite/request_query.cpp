// The SQL of request lists: whitelisted fragments with `?` placeholders, an index-friendly
// order, and the map grid for map filters.
#include "store/sqlite/request_query.hpp"

#include "domain/enum_names.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>

namespace open311::store {
namespace {

// The map grid of migration 0012: a cell is 0.0025° of latitude by 0.005° of longitude
// (about 280 m square at Helsinki's latitude), numbered row by row from (-90°, -180°).
// The migration computes the same numbers in SQL for the rows it found: keep them together.
constexpr double kGridLat = 0.0025;
constexpr double kGridLong = 0.005;
constexpr std::int64_t kGridLastRow = 72000;      // 180° / 0.0025°
constexpr std::int64_t kGridCellsPerRow = 72001;  // 360° / 0.005°, and 180° itself
/// A map filter over more cells than this (about 70 km square) walks the time index instead.
/// A cell without requests costs a seek of about 0.3 µs: 65,536 of them about 20 ms. Below,
/// the grid wins even when the area holds most requests: a box around all of Helsinki (5,712
/// cells, 123,000 requests in 90 days of 1,000,000) counted in 54 ms by the grid against
/// 551 ms by the time index, which reads each request's row for its point.
constexpr std::int64_t kMaxGridCells = 65536;

// Truncated as SQL's CAST(… AS INTEGER) truncates: the same cell for the same point.
std::int64_t grid_row(double lat) {
    return static_cast<std::int64_t>((lat + 90.0) / kGridLat);
}
std::int64_t grid_column(double lon) {
    return static_cast<std::int64_t>((lon + 180.0) / kGridLong);
}

}  // namespace

std::optional<std::int64_t> map_cell(std::optional<double> lat, std::optional<double> lon) {
    if (!lat || !lon) {
        return std::nullopt;
    }
    return grid_row(*lat) * kGridCellsPerRow + grid_column(*lon);
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

Where build_query(const RequestFilter& f) {
    Where q;
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
        q.add("r.lat >= ? AND r.lat <= ? AND r.long >= ? AND r.long <= ?");
        q.args.emplace_back(f.box->min_lat);
        q.args.emplace_back(f.box->max_lat);
        q.args.emplace_back(f.box->min_lon);
        q.args.emplace_back(f.box->max_lon);
    }
    if (f.near) {
        // The grid narrows to the cells of the enclosing box; the exact test uses an
        // equirectangular distance, accurate to well under 1 % at city scale.
        const double cos_lat = std::cos(f.near->lat * M_PI / 180.0);
        const double ky = kMetresPerDegreeLat * kMetresPerDegreeLat;
        const double kx = ky * cos_lat * cos_lat;
        q.add("((r.lat - ?) * (r.lat - ?) * ? + (r.long - ?) * (r.long - ?) * ?) <= ?");
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

/// The rows and columns of grid cells a map filter covers, inclusive.
struct GridArea {
    std::int64_t first_row;
    std::int64_t last_row;
    std::int64_t first_column;
    std::int64_t last_column;

    std::int64_t cells() const {
        return (last_row - first_row + 1) * (last_column - first_column + 1);
    }
};

/// The cells to read for the filter's map area (the smaller of its box and its circle's
/// box), or nullopt when it has none, or covers too many cells to seek each.
std::optional<GridArea> grid_area(const RequestFilter& f) {
    if (!f.ids.empty()) {
        return std::nullopt;  // a list of ids ignores every other condition
    }
    std::optional<GridArea> best;
    auto consider = [&best](double min_lat, double max_lat, double min_lon, double max_lon) {
        auto row = [](double lat) {
            return std::clamp<std::int64_t>(grid_row(lat), 0, kGridLastRow);
        };
        auto column = [](double lon) {
            return std::clamp<std::int64_t>(grid_column(lon), 0, kGridCellsPerRow - 1);
        };
        const GridArea area{row(min_lat), row(max_lat), column(min_lon), column(max_lon)};
        if (area.first_row <= area.last_row && area.first_column <= area.last_column &&
            (!best || area.cells() < best->cells())) {
            best = area;
        }
    };
    if (f.box) {
        consider(f.box->min_lat, f.box->max_lat, f.box->min_lon, f.box->max_lon);
    }
    if (f.near) {
        const double cos_lat = std::cos(f.near->lat * M_PI / 180.0);
        const double dlat = f.near->radius_m / kMetresPerDegreeLat;
        const double dlon = f.near->radius_m / (kMetresPerDegreeLat * std::max(cos_lat, 0.01));
        consider(f.near->lat - dlat, f.near->lat + dlat, f.near->lon - dlon, f.near->lon + dlon);
    }
    if (best && best->cells() > kMaxGridCells) {
        return std::nullopt;
    }
    return best;
}

/// The FROM clause of a map filter: the grid's cells (its four placeholders: first and last
/// row, first and last column), each read from the (state, cell, requested_at, …) index.
const std::string& grid_from() {
    static const std::string sql =
        " FROM (WITH RECURSIVE grid_rows(y) AS (SELECT ? UNION ALL SELECT y + 1 FROM grid_rows "
        "WHERE y < ?), grid_columns(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM grid_columns "
        "WHERE x < ?) SELECT y * " +
        std::to_string(kGridCellsPerRow) +
        " + x AS cell FROM grid_rows, grid_columns) AS grid"
        " CROSS JOIN requests r INDEXED BY requests_state_cell ON r.cell = grid.cell";
    return sql;
}

bool by_request_time(RequestOrder order) {
    return order == RequestOrder::requested_desc || order == RequestOrder::requested_asc;
}

}  // namespace

ListSql list_sql(const RequestFilter& filter) {
    ListSql out;
    out.query = build_query(filter);
    // A map filter reads its cells one by one: its matches come in no useful order. A
    // changeset (updated_after/before) is read by the updated_at index, and a list of it in
    // request-time order must be sorted too.
    const auto grid = grid_area(filter);
    const bool changeset = filter.updated_from || filter.updated_to;
    out.in_index_order = !grid && !(changeset && by_request_time(filter.order));
    out.descending =
        filter.order == RequestOrder::requested_desc || filter.order == RequestOrder::updated_desc;
    // Public lists never show the submitter or the attribute answers: their table is not
    // joined and the column is not read (same column positions, NULL instead).
    const std::string select = filter.public_only
                                   ? "SELECT " + public_request_columns() + " FROM requests r"
                                   : "SELECT " + std::string(kRequestColumns) +
                                         " FROM requests r LEFT JOIN request_submitters p"
                                         " ON p.request_seq = r.seq";
    if (out.in_index_order) {
        out.list = select + out.query.sql + order_sql(filter.order) + " LIMIT ? OFFSET ?";
        out.count = "SELECT COUNT(*) FROM requests r" + out.query.sql;
        return out;
    }
    std::string from = " FROM requests r";
    if (grid) {
        if (filter.states.empty()) {
            // The index starts with the state: every state is as good as none.
            out.query.add_in("r.state",
                             std::vector{ModerationState::pending,
                                         ModerationState::published,
                                         ModerationState::rejected});
        }
        from = grid_from();
        const std::vector<std::variant<std::string, std::int64_t, double>> cells{
            grid->first_row, grid->last_row, grid->first_column, grid->last_column};
        out.query.args.insert(out.query.args.begin(), cells.begin(), cells.end());
    }
    out.keys = std::string("SELECT r.seq, ") +
               (by_request_time(filter.order) ? "r.requested_at" : "r.updated_at") + from +
               out.query.sql;
    out.rows = select + " WHERE r.seq IN (SELECT value FROM json_each(?))";
    return out;
}

}  // namespace open311::store
