// SqliteStore: service requests. Lists are built from whitelisted SQL fragments with `?`
// placeholders only; no text from a client ever becomes SQL.
#include "store/sqlite_store.hpp"

#include <nlohmann/json.hpp>

#include <cmath>
#include <variant>

namespace open311::store {
namespace {

// clang-format off
constexpr std::string_view kRequestColumns =
    "r.seq, r.id, r.service_code, r.state, r.status, r.detailed_status, r.status_notes, r.title, "
    "r.description, r.agency_responsible, r.service_notice, r.requested_at, r.updated_at, "
    "r.expected_at, r.address, r.address_id, r.zipcode, r.lat, r.long, r.service_object_type, "
    "r.service_object_id, r.media_urls, r.attributes, r.can_be_published, r.reject_reason, "
    "r.api_key_name, r.token, "
    "p.email, p.first_name, p.last_name, p.phone, p.device_id, p.account_id, p.locale, r.version, "
    "(SELECT json_group_array(json_array(m.name, m.content_type, m.size)) FROM "
    "(SELECT name, content_type, size FROM request_media WHERE request_seq = r.seq "
    "ORDER BY position) m)";
constexpr std::string_view kInsertRequestSql =
    "INSERT INTO requests (id, service_code, state, status, detailed_status, status_notes, title, "
    "description, agency_responsible, service_notice, requested_at, updated_at, expected_at, "
    "address, address_id, zipcode, lat, long, service_object_type, service_object_id, media_urls, "
    "attributes, can_be_published, reject_reason, api_key_name, token) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertSubmitterSql =
    "INSERT INTO request_submitters (request_seq, email, first_name, last_name, phone, device_id, "
    "account_id, locale) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertGeoSql =
    "INSERT INTO requests_geo (id, min_lat, max_lat, min_long, max_long, min_time, max_time) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertMediaSql =
    "INSERT INTO request_media (name, request_seq, position, content_type, size, created_at) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kFindByTokenSql =
    "SELECT id FROM requests WHERE token = ?";
// clang-format on

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

const std::string& find_request_sql() {
    static const std::string sql = "SELECT " + std::string(kRequestColumns) +
                                   " FROM requests r LEFT JOIN request_submitters p "
                                   "ON p.request_seq = r.seq WHERE r.id = ?";
    return sql;
}

/// True for the JSON texts of "nothing" the columns hold (NULL reads as ""): no parse needed.
bool empty_json_array(const std::string& json_text) {
    return json_text.empty() || json_text == "[]";
}

std::vector<std::string> parse_string_array(const std::string& json_text) {
    std::vector<std::string> out;
    if (empty_json_array(json_text)) {
        return out;
    }
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_array()) {
        for (const auto& item : j) {
            if (item.is_string()) {
                out.push_back(item.get<std::string>());
            }
        }
    }
    return out;
}

std::vector<AttributeAnswer> parse_answers(const std::string& json_text) {
    std::vector<AttributeAnswer> out;
    if (empty_json_array(json_text)) {
        return out;
    }
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_array()) {
        for (const auto& item : j) {
            if (item.is_object() && item.contains("code") && item.contains("values")) {
                out.push_back(AttributeAnswer{item["code"].get<std::string>(),
                                              item["values"].get<std::vector<std::string>>()});
            }
        }
    }
    return out;
}

/// The [[name, content_type, size], …] array built by the media subquery.
std::vector<MediaFile> parse_media(const std::string& json_text) {
    std::vector<MediaFile> out;
    if (empty_json_array(json_text)) {
        return out;
    }
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_array()) {
        for (const auto& item : j) {
            if (item.is_array() && item.size() == 3 && item[0].is_string() && item[1].is_string() &&
                item[2].is_number_integer()) {
                out.push_back(MediaFile{item[0].get<std::string>(),
                                        item[1].get<std::string>(),
                                        item[2].get<std::int64_t>()});
            }
        }
    }
    return out;
}

std::string dump_answers(const std::vector<AttributeAnswer>& answers) {
    auto j = nlohmann::json::array();
    for (const auto& a : answers) {
        j.push_back({{"code", a.code}, {"values", a.values}});
    }
    return j.dump();
}

ServiceRequest read_request(Statement& s) {
    ServiceRequest r;
    r.id = s.text(1);
    r.service_code = s.text(2);
    r.state = moderation_state_from(s.text(3)).value_or(ModerationState::pending);
    r.status = s.text(4);
    r.detailed_status = s.text(5);
    r.status_notes = s.text(6);
    r.title = s.text(7);
    r.description = s.text(8);
    r.agency_responsible = s.text(9);
    r.service_notice = s.text(10);
    r.requested_at = s.int64(11);
    r.updated_at = s.int64(12);
    r.expected_at = s.optional_int64(13);
    r.address = s.text(14);
    r.address_id = s.text(15);
    r.zipcode = s.text(16);
    r.lat = s.optional_real(17);
    r.lon = s.optional_real(18);
    r.service_object_type = s.text(19);
    r.service_object_id = s.text(20);
    r.media_urls = parse_string_array(s.text(21));
    r.attributes = parse_answers(s.text(22));
    r.can_be_published = s.int64(23) != 0;
    r.reject_reason = s.text(24);
    r.api_key_name = s.text(25);
    r.token = s.text(26);
    r.submitter = Submitter{
        s.text(27), s.text(28), s.text(29), s.text(30), s.text(31), s.text(32), s.text(33)};
    r.version = s.is_null(34) ? 1 : s.int64(34);
    r.media = parse_media(s.text(35));
    return r;
}

bool has_personal_data(const Submitter& p) {
    return !(p.email.empty() && p.first_name.empty() && p.last_name.empty() && p.phone.empty() &&
             p.device_id.empty() && p.account_id.empty() && p.locale.empty());
}

/// A WHERE clause under construction and the values its placeholders take, in order.
struct Query {
    std::string where;
    std::vector<std::variant<std::string, std::int64_t, double>> args;

    void add(const std::string& condition) {
        where += (where.empty() ? " WHERE " : " AND ") + condition;
    }
    void add_in(const std::string& column, const std::vector<std::string>& values) {
        std::string list;
        for (const auto& v : values) {
            list += list.empty() ? "?" : ", ?";
            args.emplace_back(v);
        }
        add(column + " IN (" + list + ")");
    }
    void bind_all(Statement& s, int first = 1) const {
        int i = first;
        for (const auto& a : args) {
            std::visit([&s, &i](const auto& value) { s.bind(i++, value); }, a);
        }
    }
};

constexpr double kMetresPerDegreeLat = 111320.0;

Query build_query(const RequestFilter& f, bool& uses_geo) {
    Query q;
    uses_geo = false;
    if (!f.states.empty()) {
        std::vector<std::string> states;
        for (auto s : f.states) {
            states.emplace_back(to_string(s));
        }
        q.add_in("r.state", states);
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
    switch (order) {
        case RequestOrder::requested_asc:
            return " ORDER BY r.requested_at ASC, r.seq ASC";
        case RequestOrder::updated_desc:
            return " ORDER BY r.updated_at DESC, r.seq DESC";
        case RequestOrder::updated_asc:
            return " ORDER BY r.updated_at ASC, r.seq ASC";
        case RequestOrder::requested_desc:
        default:
            return " ORDER BY r.requested_at DESC, r.seq DESC";
    }
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

/// One request with its submitter and map point, inside the caller's transaction.
void insert_one(Database& db, const ServiceRequest& r) {
    {
        StatementScope s(db.cached(kInsertRequestSql));
        s->bind(1, r.id)
            .bind(2, r.service_code)
            .bind(3, to_string(r.state))
            .bind(4, r.status)
            .bind(5, r.detailed_status)
            .bind(6, r.status_notes)
            .bind(7, r.title)
            .bind(8, r.description)
            .bind(9, r.agency_responsible)
            .bind(10, r.service_notice)
            .bind(11, r.requested_at)
            .bind(12, r.updated_at)
            .bind(13, r.expected_at)
            .bind(14, r.address)
            .bind(15, r.address_id)
            .bind(16, r.zipcode)
            .bind(17, r.lat)
            .bind(18, r.lon)
            .bind(19, r.service_object_type)
            .bind(20, r.service_object_id)
            .bind(21, nlohmann::json(r.media_urls).dump())
            .bind(22, dump_answers(r.attributes))
            .bind(23, r.can_be_published ? 1 : 0)
            .bind(24, r.reject_reason)
            .bind(25, r.api_key_name);
        if (r.token.empty()) {
            s->bind_null(26);
        } else {
            s->bind(26, r.token);
        }
        s->run();
    }
    const std::int64_t seq = sqlite3_last_insert_rowid(db.handle());
    if (has_personal_data(r.submitter)) {
        StatementScope s(db.cached(kInsertSubmitterSql));
        const auto& p = r.submitter;
        s->bind(1, seq)
            .bind(2, p.email)
            .bind(3, p.first_name)
            .bind(4, p.last_name)
            .bind(5, p.phone)
            .bind(6, p.device_id)
            .bind(7, p.account_id)
            .bind(8, p.locale)
            .run();
    }
    if (r.lat && r.lon) {
        StatementScope s(db.cached(kInsertGeoSql));
        s->bind(1, seq)
            .bind(2, *r.lat)
            .bind(3, *r.lat)
            .bind(4, *r.lon)
            .bind(5, *r.lon)
            .bind(6, geo_time(r.requested_at))
            .bind(7, geo_time(r.requested_at))
            .run();
    }
    for (std::size_t i = 0; i < r.media.size(); ++i) {
        StatementScope s(db.cached(kInsertMediaSql));
        s->bind(1, r.media[i].name)
            .bind(2, seq)
            .bind(3, static_cast<std::int64_t>(i))
            .bind(4, r.media[i].content_type)
            .bind(5, r.media[i].size)
            .bind(6, r.requested_at)
            .run();
    }
}

/// The two statements of a list query and the values their placeholders take.
struct ListSql {
    Query query;
    std::string list;
    std::string count;
};

ListSql list_sql(const RequestFilter& filter) {
    ListSql out;
    bool uses_geo = false;
    out.query = build_query(filter, uses_geo);
    // With a map filter the R*Tree drives the query (CROSS JOIN fixes the join order).
    const std::string from = uses_geo ? " FROM requests_geo g CROSS JOIN requests r ON r.seq = g.id"
                                      : " FROM requests r";
    // Public lists never show the submitter or the attribute answers: their table is not
    // joined and the column is not read (same column positions, NULL instead).
    out.list = filter.public_only ? "SELECT " + public_request_columns() + from + out.query.where +
                                        order_sql(filter) + " LIMIT ? OFFSET ?"
                                  : "SELECT " + std::string(kRequestColumns) + from +
                                        " LEFT JOIN request_submitters p ON p.request_seq = r.seq" +
                                        out.query.where + order_sql(filter) + " LIMIT ? OFFSET ?";
    out.count = "SELECT COUNT(*)" + from + out.query.where;
    return out;
}

}  // namespace

void SqliteStore::insert_request(const ServiceRequest& request) {
    write([&request](Database& db) { insert_one(db, request); });
}

void SqliteStore::insert_requests(const std::vector<ServiceRequest>& requests) {
    write([&requests](Database& db) {
        for (const auto& r : requests) {
            insert_one(db, r);
        }
    });
}

std::optional<ServiceRequest> SqliteStore::find_request(const std::string& id) {
    auto db = reader();
    StatementScope s(db->cached(find_request_sql()));
    s->bind(1, id);
    if (!s->step()) {
        return std::nullopt;
    }
    return read_request(*s);
}

Page<ServiceRequest> SqliteStore::search_requests(const RequestFilter& filter) {
    const ListSql statements = list_sql(filter);
    const Query& q = statements.query;

    auto db = reader();
    // Filter combinations are many; cache the common ones and prepare the rest each time.
    constexpr std::size_t kMaxCachedStatements = 256;
    std::vector<std::unique_ptr<Statement>> owned;
    auto statement = [&](const std::string& sql) -> Statement& {
        if (db->cached_count() < kMaxCachedStatements) {
            return db->cached(sql);
        }
        owned.push_back(std::make_unique<Statement>(db->handle(), sql));
        return *owned.back();
    };
    Page<ServiceRequest> page;
    // Both statements read one snapshot, so the total matches the page.
    db->exec("BEGIN");
    try {
        {
            StatementScope s(statement(statements.list));
            q.bind_all(*s);
            const int n = static_cast<int>(q.args.size());
            s->bind(n + 1, static_cast<std::int64_t>(filter.limit)).bind(n + 2, filter.offset);
            while (s->step()) {
                page.items.push_back(read_request(*s));
            }
        }
        // A page that is not full ends the list: its total is known without counting.
        const auto got = static_cast<std::int64_t>(page.items.size());
        if (got < filter.limit && (filter.offset == 0 || got > 0)) {
            page.total = filter.offset + got;
        } else {
            StatementScope s(statement(statements.count));
            q.bind_all(*s);
            s->step();
            page.total = s->int64(0);
        }
        db->exec("COMMIT");
    } catch (...) {
        db->exec("ROLLBACK");
        throw;
    }
    return page;
}

std::vector<std::string> SqliteStore::query_plan(const RequestFilter& filter) {
    const ListSql sql = list_sql(filter);
    auto db = reader();
    std::vector<std::string> details;
    for (const auto* statement : {&sql.list, &sql.count}) {
        Statement s(db->handle(), "EXPLAIN QUERY PLAN " + *statement);
        while (s.step()) {
            details.push_back(s.text(3));
        }
    }
    return details;
}

std::optional<std::string> SqliteStore::find_request_id_by_token(const std::string& token) {
    auto db = reader();
    StatementScope s(db->cached(kFindByTokenSql));
    s->bind(1, token);
    if (!s->step()) {
        return std::nullopt;
    }
    return s->text(0);
}

}  // namespace open311::store
