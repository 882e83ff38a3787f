// The SQL of request lists: whitelisted fragments with numbered placeholders, an index-friendly
// order, and the GiST point index for map filters.
#include "store/postgres/request_query.hpp"

#include "domain/enum_names.hpp"
#include "util/text.hpp"

#include <algorithm>
#include <cmath>

namespace open311::store::pg {

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
constexpr std::string_view kUpperAscii = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
constexpr std::string_view kLowerAscii = "abcdefghijklmnopqrstuvwxyz";

/// The WHERE clause of `f` with its parameters.
class Conditions final {
public:
    void add(const std::string& condition) {
        sql += (sql.empty() ? " WHERE " : " AND ") + condition;
    }
    template <typename T>
    std::string p(const T& value) {
        return params.placeholder(value);
    }
    template <typename T>
    void add_in(const std::string& column, const std::vector<T>& values) {
        std::string list;
        for (const auto& v : values) {
            list += (list.empty() ? "" : ", ") + p(text_of(v));
        }
        add(column + " IN (" + list + ")");
    }

    std::string sql;
    Params params;

private:
    static const std::string& text_of(const std::string& s) { return s; }
    template <typename Enum>
    static const char* text_of(Enum e) {
        return to_string(e);
    }
};

/// A lat/long box through the map index: the expression matches requests_location's.
void add_box(Conditions& q, double min_lat, double max_lat, double min_lon, double max_lon) {
    q.add("point(r.long, r.lat) <@ box(point(" + q.p(min_lon) + ", " + q.p(min_lat) + "), point(" +
          q.p(max_lon) + ", " + q.p(max_lat) + "))");
}

Conditions build_query(const RequestFilter& f) {
    Conditions q;
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
                   "strpos(',' || r.detailed_status || ',', " + q.p("," + d + ",") + ") > 0";
        }
        q.add("(" + any + ")");
    }
    auto range = [&q](const char* column,
                      const std::optional<Timestamp>& from,
                      const std::optional<Timestamp>& to) {
        if (from) {
            q.add(std::string(column) + " >= " + q.p(*from));
        }
        if (to) {
            q.add(std::string(column) + " <= " + q.p(*to));
        }
    };
    range("r.requested_at", f.requested_from, f.requested_to);
    range("r.updated_at", f.updated_from, f.updated_to);
    for (const auto& word : split_nonempty(f.text, ' ')) {
        // ASCII letters only are folded, as SQLite's lower() folds them: translate(), not the
        // locale-dependent lower(), so that both backends find the same requests.
        q.add("strpos(translate(r.title || ' ' || r.description || ' ' || r.address, " +
              q.p(std::string(kUpperAscii)) + ", " + q.p(std::string(kLowerAscii)) + "), " +
              q.p(to_lower(word)) + ") > 0");
    }
    if (f.has_media) {
        q.add(std::string(*f.has_media ? "" : "NOT ") +
              "(r.media_urls <> '[]' OR EXISTS (SELECT 1 FROM request_media m "
              "WHERE m.request_seq = r.seq))");
    }
    if (!f.service_object_type.empty()) {
        q.add("r.service_object_type = " + q.p(f.service_object_type));
    }
    if (!f.service_object_id.empty()) {
        q.add("r.service_object_id = " + q.p(f.service_object_id));
    }
    if (f.box) {
        add_box(q, f.box->min_lat, f.box->max_lat, f.box->min_lon, f.box->max_lon);
    }
    if (f.near) {
        // The index narrows to the enclosing box; the exact test is the equirectangular
        // distance SQLite's path uses (accurate to well under 1 % at city scale), computed from
        // the same doubles, so both backends answer alike.
        const double cos_lat = std::cos(f.near->lat * M_PI / 180.0);
        const double dlat = f.near->radius_m / kMetresPerDegreeLat;
        const double dlon = f.near->radius_m / (kMetresPerDegreeLat * std::max(cos_lat, 0.01));
        add_box(q, f.near->lat - dlat, f.near->lat + dlat, f.near->lon - dlon, f.near->lon + dlon);
        const double ky = kMetresPerDegreeLat * kMetresPerDegreeLat;
        const double kx = ky * cos_lat * cos_lat;
        const auto lat = q.p(f.near->lat);
        const auto lon = q.p(f.near->lon);
        q.add("((r.lat - " + lat + "::float8) * (r.lat - " + lat + "::float8) * " + q.p(ky) +
              "::float8 + (r.long - " + lon + "::float8) * (r.long - " + lon + "::float8) * " +
              q.p(kx) + "::float8) <= " + q.p(f.near->radius_m * f.near->radius_m) + "::float8");
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

}  // namespace

ListSql list_sql(const RequestFilter& filter) {
    Conditions q = build_query(filter);
    ListSql out;
    // Public lists never show the submitter or the attribute answers: their table is not
    // joined and the column is not read (same column positions, NULL instead).
    const std::string from = " FROM requests r";
    out.count = "SELECT COUNT(*)" + from + q.sql;
    out.count_params = q.params;
    const std::string limit = q.p(filter.limit);
    const std::string offset = q.p(filter.offset);
    out.list = filter.public_only
                   ? "SELECT " + public_request_columns() + from + q.sql + order_sql(filter.order) +
                         " LIMIT " + limit + " OFFSET " + offset
                   : "SELECT " + std::string(kRequestColumns) + from +
                         " LEFT JOIN request_submitters p ON p.request_seq = r.seq" + q.sql +
                         order_sql(filter.order) + " LIMIT " + limit + " OFFSET " + offset;
    out.list_params = std::move(q.params);
    return out;
}

}  // namespace open311::store::pg
