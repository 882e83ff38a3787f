// SqliteStore: service requests as submitted: rows in, rows out. The SQL of the lists is
// request_query.cpp's.
#include "store/sqlite/request_query.hpp"
#include "store/sqlite/sqlite_store.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace open311::store {
namespace {

constexpr std::string_view kInsertRequestSql = R"sql(
    INSERT INTO requests (id, service_code, state, status, detailed_status, status_notes, title,
        description, agency_responsible, service_notice, requested_at, updated_at, expected_at,
        address, address_id, zipcode, lat, long, service_object_type, service_object_id,
        media_urls, attributes, can_be_published, reject_reason, api_key_name, token, cell)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kInsertSubmitterSql = R"sql(
    INSERT INTO request_submitters (request_seq, email, first_name, last_name, phone, device_id,
        account_id, locale)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kInsertMediaSql = R"sql(
    INSERT INTO request_media (name, request_seq, position, content_type, size, created_at)
    VALUES (?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kFindByTokenSql = R"sql(
    SELECT id
    FROM requests
    WHERE token = ?)sql";

const std::string& find_request_sql() {
    static const std::string sql = "SELECT " + std::string(kRequestColumns) +
                                   " FROM requests r LEFT JOIN request_submitters p "
                                   "ON p.request_seq = r.seq WHERE r.id = ?";
    return sql;
}

/// The items of a JSON array column that `take` accepts (it returns nullopt to skip one).
/// "" (NULL) and "[]", what most rows hold, are answered without a parse.
template <typename Take>
auto parse_array(const std::string& json_text, Take take) {
    std::vector<typename std::invoke_result_t<Take&, const nlohmann::json&>::value_type> out;
    if (json_text.empty() || json_text == "[]") {
        return out;
    }
    auto j = nlohmann::json::parse(json_text, nullptr, false);
    if (j.is_array()) {
        for (const auto& item : j) {
            if (auto value = take(item)) {
                out.push_back(std::move(*value));
            }
        }
    }
    return out;
}

std::vector<std::string> parse_string_array(const std::string& json_text) {
    return parse_array(json_text, [](const nlohmann::json& item) {
        return item.is_string() ? std::optional(item.get<std::string>()) : std::nullopt;
    });
}

std::vector<AttributeAnswer> parse_answers(const std::string& json_text) {
    return parse_array(json_text, [](const nlohmann::json& item) -> std::optional<AttributeAnswer> {
        if (!item.is_object() || !item.contains("code") || !item.contains("values")) {
            return std::nullopt;
        }
        return AttributeAnswer{item["code"].get<std::string>(),
                               item["values"].get<std::vector<std::string>>()};
    });
}

/// The [[name, content_type, size], …] array built by the media subquery.
std::vector<MediaFile> parse_media(const std::string& json_text) {
    return parse_array(json_text, [](const nlohmann::json& item) -> std::optional<MediaFile> {
        if (!item.is_array() || item.size() != 3 || !item[0].is_string() || !item[1].is_string() ||
            !item[2].is_number_integer()) {
            return std::nullopt;
        }
        return MediaFile{
            item[0].get<std::string>(), item[1].get<std::string>(), item[2].get<std::int64_t>()};
    });
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

/// One request with its submitter and media rows, inside the caller's transaction.
void insert_one(Database& db, const ServiceRequest& r) {
    db.run(kInsertRequestSql,
           r.id,
           r.service_code,
           to_string(r.state),
           r.status,
           r.detailed_status,
           r.status_notes,
           r.title,
           r.description,
           r.agency_responsible,
           r.service_notice,
           r.requested_at,
           r.updated_at,
           r.expected_at,
           r.address,
           r.address_id,
           r.zipcode,
           r.lat,
           r.lon,
           r.service_object_type,
           r.service_object_id,
           nlohmann::json(r.media_urls).dump(),
           dump_answers(r.attributes),
           r.can_be_published ? 1 : 0,
           r.reject_reason,
           r.api_key_name,
           null_if_empty(r.token),
           map_cell(r.lat, r.lon));
    const std::int64_t seq = sqlite3_last_insert_rowid(db.handle());
    if (has_personal_data(r.submitter)) {
        const auto& p = r.submitter;
        db.run(kInsertSubmitterSql,
               seq,
               p.email,
               p.first_name,
               p.last_name,
               p.phone,
               p.device_id,
               p.account_id,
               p.locale);
    }
    for (std::size_t i = 0; i < r.media.size(); ++i) {
        const auto& m = r.media[i];
        db.run(kInsertMediaSql,
               m.name,
               seq,
               static_cast<std::int64_t>(i),
               m.content_type,
               m.size,
               r.requested_at);
    }
}

/// A page read in its index's order, and counted apart (ListSql::in_index_order).
template <typename Prepare>
Page<ServiceRequest> read_in_index_order(const ListSql& statements,
                                         const RequestFilter& filter,
                                         Prepare& statement) {
    Page<ServiceRequest> page;
    {
        StatementScope s(statement(statements.list));
        const int next = statements.query.bind_all(*s);
        s->bind(next, filter.limit).bind(next + 1, filter.offset);
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
        statements.query.bind_all(*s);
        s->step();
        page.total = s->int64(0);
    }
    return page;
}

/// A page taken from the keys of every match, then its rows read (ListSql::keys): one pass
/// over the matches gives both the total and the page, and only the page's rows are read.
template <typename Prepare>
Page<ServiceRequest> read_keys_first(const ListSql& statements,
                                     const RequestFilter& filter,
                                     Prepare& statement) {
    struct Key {
        std::int64_t at;
        std::int64_t seq;
    };
    // `before(a, b)`: a comes before b in the list (the order key, then seq, both one way).
    const bool descending = statements.descending;
    auto before = [descending](const Key& a, const Key& b) {
        return descending ? (a.at > b.at || (a.at == b.at && a.seq > b.seq))
                          : (a.at < b.at || (a.at == b.at && a.seq < b.seq));
    };
    // The first offset + limit matches in list order, kept as a heap whose top is the last
    // of them: memory bounded by the page, whatever the number of matches.
    const std::int64_t offset = std::clamp<std::int64_t>(filter.offset, 0, 1'000'000'000);
    const auto keep = static_cast<std::size_t>(offset + std::max(filter.limit, 0));
    std::vector<Key> first;
    Page<ServiceRequest> page;
    page.total = 0;
    {
        StatementScope s(statement(statements.keys));
        statements.query.bind_all(*s);
        while (s->step()) {
            ++page.total;
            const Key key{s->int64(1), s->int64(0)};
            if (first.size() < keep) {
                first.push_back(key);
                std::push_heap(first.begin(), first.end(), before);
            } else if (keep > 0 && before(key, first.front())) {
                std::pop_heap(first.begin(), first.end(), before);
                first.back() = key;
                std::push_heap(first.begin(), first.end(), before);
            }
        }
    }
    std::sort_heap(first.begin(), first.end(), before);
    first.erase(first.begin(),
                first.begin() + static_cast<std::ptrdiff_t>(
                                    std::min(first.size(), static_cast<std::size_t>(offset))));
    // The page's rows in one statement: SQLite reads them in seq order, each seek starting
    // near the last (a third cheaper than a statement per row); put back in list order here.
    std::string seqs = "[";
    std::vector<std::pair<std::int64_t, std::size_t>> position;  // seq -> index in the page
    for (std::size_t i = 0; i < first.size(); ++i) {
        seqs += (i == 0 ? "" : ",") + std::to_string(first[i].seq);
        position.emplace_back(first[i].seq, i);
    }
    seqs += "]";
    std::sort(position.begin(), position.end());
    std::vector<std::optional<ServiceRequest>> rows(first.size());
    {
        StatementScope s(statement(statements.rows));
        s->bind(1, seqs);
        while (s->step()) {
            const auto at = std::lower_bound(
                position.begin(), position.end(), std::pair{s->int64(0), std::size_t{0}});
            if (at != position.end() && at->first == s->int64(0)) {
                rows[at->second] = read_request(*s);
            }
        }
    }
    page.items.reserve(rows.size());
    for (auto& r : rows) {
        if (r) {
            page.items.push_back(std::move(*r));
        }
    }
    return page;
}

}  // namespace

void SqliteStore::insert_request(const ServiceRequest& request) {
    write([&request](Database& db) { insert_one(db, request); });
}

void SqliteStore::insert_request_then(ServiceRequest request,
                                      std::optional<IdempotencyRecord> answered,
                                      WriteDone done) {
    writes_->submit(
        [request = std::move(request), answered = std::move(answered)](Database& db) {
            insert_one(db, request);
            if (answered) {
                complete_claim(db, *answered);
            }
        },
        std::move(done));
}

void SqliteStore::insert_requests(const std::vector<ServiceRequest>& requests) {
    write([&requests](Database& db) {
        for (const auto& r : requests) {
            insert_one(db, r);
        }
    });
}

std::optional<ServiceRequest> SqliteStore::find_request(const std::string& id) {
    return reader()->first(find_request_sql(), read_request, id);
}

Page<ServiceRequest> SqliteStore::search_requests(const RequestFilter& filter) {
    const ListSql statements = list_sql(filter);
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
    // The statements read one snapshot, so the total matches the page.
    db->exec("BEGIN");
    try {
        auto page = statements.in_index_order ? read_in_index_order(statements, filter, statement)
                                              : read_keys_first(statements, filter, statement);
        db->exec("COMMIT");
        return page;
    } catch (...) {
        db->exec("ROLLBACK");
        throw;
    }
}

std::vector<std::string> SqliteStore::query_plan(const RequestFilter& filter) {
    const ListSql sql = list_sql(filter);
    auto db = reader();
    std::vector<std::string> details;
    const auto statements =
        sql.in_index_order ? std::vector{&sql.list, &sql.count} : std::vector{&sql.keys, &sql.rows};
    for (const auto* statement : statements) {
        Statement s(db->handle(), "EXPLAIN QUERY PLAN " + *statement);
        while (s.step()) {
            details.push_back(s.text(3));
        }
    }
    return details;
}

std::optional<std::string> SqliteStore::find_request_id_by_token(const std::string& token) {
    return reader()->first(kFindByTokenSql, read_text, token);
}

}  // namespace open311::store
