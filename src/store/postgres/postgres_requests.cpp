// PostgresStore: service requests as submitted: rows in, rows out. The SQL of the lists is
// request_query.cpp's.
#include "store/postgres/postgres_abuse.hpp"
#include "store/postgres/postgres_store.hpp"
#include "store/postgres/request_query.hpp"

#include <nlohmann/json.hpp>

namespace open311::store::pg {
namespace {

constexpr std::string_view kInsertRequestSql = R"sql(
    INSERT INTO requests (id, service_code, state, status, detailed_status, status_notes, title,
        description, agency_responsible, service_notice, requested_at, updated_at, expected_at,
        address, address_id, zipcode, lat, long, service_object_type, service_object_id,
        media_urls, attributes, can_be_published, reject_reason, api_key_name, token)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
        $19, $20, $21, $22, $23, $24, $25, $26)
    RETURNING seq)sql";
constexpr std::string_view kInsertSubmitterSql = R"sql(
    INSERT INTO request_submitters (request_seq, email, first_name, last_name, phone, device_id,
        account_id, locale)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql";
constexpr std::string_view kInsertMediaSql = R"sql(
    INSERT INTO request_media (name, request_seq, position, content_type, size, created_at)
    VALUES ($1, $2, $3, $4, $5, $6))sql";
constexpr std::string_view kFindByTokenSql = R"sql(
    SELECT id
    FROM requests
    WHERE token = $1)sql";

const std::string& find_request_sql() {
    static const std::string sql = "SELECT " + std::string(pg::kRequestColumns) +
                                   " FROM requests r LEFT JOIN request_submitters p "
                                   "ON p.request_seq = r.seq WHERE r.id = $1";
    return sql;
}

/// The items of a JSON array column that `take` accepts (it returns nullopt to skip one).
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

ServiceRequest read_request(const pg::Row& s) {
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
    r.can_be_published = s.boolean(23);
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
void insert_one(pg::Connection& c, const ServiceRequest& r) {
    const auto seq = c.first(kInsertRequestSql,
                             pg::read_int64,
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
                             r.can_be_published,
                             r.reject_reason,
                             r.api_key_name,
                             pg::null_if_empty(r.token));
    if (has_personal_data(r.submitter)) {
        const auto& p = r.submitter;
        c.run(kInsertSubmitterSql,
              *seq,
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
        c.run(kInsertMediaSql,
              m.name,
              *seq,
              static_cast<std::int64_t>(i),
              m.content_type,
              m.size,
              r.requested_at);
    }
}

}  // namespace

void PostgresStore::insert_request(const ServiceRequest& request) {
    write([&request](pg::Connection& c) { insert_one(c, request); });
}

void PostgresStore::insert_request_then(ServiceRequest request,
                                        std::optional<IdempotencyRecord> answered,
                                        WriteDone done) {
    batches_->submit(
        [request = std::move(request), answered = std::move(answered)](pg::Connection& c) {
            insert_one(c, request);
            if (answered) {
                complete_claim(c, *answered);
            }
        },
        std::move(done));
}

void PostgresStore::insert_requests(const std::vector<ServiceRequest>& requests) {
    write([&requests](pg::Connection& c) {
        for (const auto& r : requests) {
            insert_one(c, r);
        }
    });
}

std::optional<ServiceRequest> PostgresStore::find_request(const std::string& id) {
    return read([&](pg::Connection& c) { return c.first(find_request_sql(), read_request, id); });
}

Page<ServiceRequest> PostgresStore::search_requests(const RequestFilter& filter) {
    const pg::ListSql statements = pg::list_sql(filter);
    return read([&](pg::Connection& c) {
        Page<ServiceRequest> page;
        // Both statements read one snapshot, so the total matches the page.
        pg::Transaction snapshot(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
        page.items = c.all_of(c.query(statements.list, statements.list_params), read_request);
        // A page that is not full ends the list: its total is known without counting.
        const auto got = static_cast<std::int64_t>(page.items.size());
        if (got < filter.limit && (filter.offset == 0 || got > 0)) {
            page.total = filter.offset + got;
        } else {
            page.total = c.query(statements.count, statements.count_params).row(0).int64(0);
        }
        snapshot.commit();
        return page;
    });
}

namespace {
constexpr const char* kFindRequestStatement = "loop_find_request";
}  // namespace

pg::LoopReader& PostgresStore::loop_reader(boost::asio::io_context& loop) {
    return pg::LoopReaders::of(loop, id_, [&] {
        return std::make_unique<pg::LoopReader>(
            loop,
            pool_.conninfo(),
            std::vector<pg::LoopStatement>{{kFindRequestStatement, find_request_sql()}});
    });
}

bool PostgresStore::reads_on_loop(boost::asio::io_context& loop) {
    return catalogue_in_memory() != nullptr && loop_reader(loop).ready();
}

void PostgresStore::find_request_on(boost::asio::io_context& loop,
                                    const std::string& id,
                                    RequestFound found) {
    loop_reader(loop).query(
        kFindRequestStatement,
        pg::params_of(id),
        [found = std::move(found)](const pg::Result* result, std::exception_ptr error) {
            std::optional<ServiceRequest> request;
            if (!error) {
                try {
                    if (result->rows() > 0) {
                        request = read_request(result->row(0));
                    }
                } catch (...) {
                    error = std::current_exception();
                }
            }
            found(std::move(request), error);
        });
}

std::optional<std::string> PostgresStore::find_request_id_by_token(const std::string& token) {
    return read([&](pg::Connection& c) { return c.first(kFindByTokenSql, pg::read_text, token); });
}

}  // namespace open311::store::pg
