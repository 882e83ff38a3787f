// PostgresStore: case handling — request changes with their updates, audit lines and outbox
// messages in one transaction; the updates feed.
#include "store/postgres/postgres_audit.hpp"
#include "store/postgres/postgres_store.hpp"

#include <nlohmann/json.hpp>

namespace open311::store::pg {
namespace {

constexpr std::string_view kSeqOfRequestSql = R"sql(
    SELECT seq
    FROM requests
    WHERE id = $1)sql";
// The version check is in the WHERE clause: under READ COMMITTED a concurrent change to the
// row makes this statement wait for it and then test the new version, so of two changes
// computed from one version exactly one applies.
constexpr std::string_view kUpdateRequestSql = R"sql(
    UPDATE requests
    SET state = $1, status = $2, detailed_status = $3, status_notes = $4, title = $5,
        description = $6, agency_responsible = $7, service_notice = $8, updated_at = $9,
        expected_at = $10, address = $11, media_urls = $12, reject_reason = $13,
        version = version + 1
    WHERE id = $14 AND version = $15)sql";
constexpr std::string_view kInsertUpdateSql = R"sql(
    INSERT INTO request_updates (id, request_seq, state, status, external_status,
        detailed_status, description, media_url, created_at, source, api_key_name,
        client_update_id, client_datetime, token)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
    RETURNING seq)sql";
constexpr std::string_view kInsertUpdateSubmitterSql = R"sql(
    INSERT INTO update_submitters (update_seq, email, first_name, last_name, phone, title,
        account_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7))sql";
constexpr std::string_view kSetUpdateStateSql = R"sql(
    UPDATE request_updates
    SET state = $1
    WHERE id = $2 AND request_seq = $3 AND state = 'pending')sql";
constexpr std::string_view kInsertOutboxSql = R"sql(
    INSERT INTO outbox (request_seq, kind, recipient, subject, body, state, created_at,
        next_attempt_at)
    VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7))sql";
constexpr std::string_view kUpdateColumns = R"sql(
    SELECT u.id, r.id, u.state, u.status, u.external_status, u.detailed_status, u.description,
        u.media_url, u.created_at, u.source, u.api_key_name, u.client_update_id,
        u.client_datetime, u.token, s.email, s.first_name, s.last_name, s.phone, s.title,
        s.account_id
    FROM request_updates u
    JOIN requests r ON r.seq = u.request_seq
    LEFT JOIN update_submitters s ON s.update_seq = u.seq)sql";
constexpr std::string_view kFindUpdateByTokenSql = R"sql(
    SELECT id
    FROM request_updates
    WHERE token = $1)sql";

bool has_personal_data(const UpdateSubmitter& p) {
    return !(p.email.empty() && p.first_name.empty() && p.last_name.empty() && p.phone.empty() &&
             p.title.empty() && p.account_id.empty());
}

RequestUpdate read_update(const pg::Row& r) {
    RequestUpdate u;
    u.id = r.text(0);
    u.request_id = r.text(1);
    u.state = moderation_state_from(r.text(2)).value_or(ModerationState::pending);
    u.status = r.text(3);
    u.external_status = r.text(4);
    u.detailed_status = r.text(5);
    u.description = r.text(6);
    u.media_url = r.text(7);
    u.at = r.int64(8);
    u.source = r.text(9) == "client" ? UpdateSource::client : UpdateSource::staff;
    u.api_key_name = r.text(10);
    u.client_update_id = r.text(11);
    u.client_datetime = r.optional_int64(12);
    u.token = r.text(13);
    u.submitter =
        UpdateSubmitter{r.text(14), r.text(15), r.text(16), r.text(17), r.text(18), r.text(19)};
    return u;
}

void insert_update(pg::Connection& c, std::int64_t request_seq, const RequestUpdate& u) {
    const auto seq = c.first(kInsertUpdateSql,
                             pg::read_int64,
                             u.id,
                             request_seq,
                             to_string(u.state),
                             u.status,
                             u.external_status,
                             u.detailed_status,
                             u.description,
                             u.media_url,
                             u.at,
                             to_string(u.source),
                             u.api_key_name,
                             u.client_update_id,
                             u.client_datetime,
                             pg::null_if_empty(u.token));
    if (has_personal_data(u.submitter)) {
        const auto& p = u.submitter;
        c.run(kInsertUpdateSubmitterSql,
              *seq,
              p.email,
              p.first_name,
              p.last_name,
              p.phone,
              p.title,
              p.account_id);
    }
}

/// Writes everything `change` asks for, inside the caller's transaction; the outcome when it
/// cannot be applied (the caller then rolls back what was written).
std::optional<ChangeOutcome> apply_change(pg::Connection& c, const RequestChange& change) {
    const auto seq = c.first(kSeqOfRequestSql, pg::read_int64, change.request_id);
    if (!seq) {
        return ChangeOutcome::not_found;
    }
    if (change.after) {
        const ServiceRequest& r = *change.after;
        if (c.run(kUpdateRequestSql,
                  to_string(r.state),
                  r.status,
                  r.detailed_status,
                  r.status_notes,
                  r.title,
                  r.description,
                  r.agency_responsible,
                  r.service_notice,
                  r.updated_at,
                  r.expected_at,
                  r.address,
                  nlohmann::json(r.media_urls).dump(),
                  r.reject_reason,
                  change.request_id,
                  change.expected_version) == 0) {
            return ChangeOutcome::stale;
        }
    }
    for (const auto& u : change.new_updates) {
        insert_update(c, *seq, u);
    }
    for (const auto& [update_id, state] : change.update_states) {
        if (c.run(kSetUpdateStateSql, to_string(state), update_id, *seq) == 0) {
            return ChangeOutcome::stale;  // moderated by someone else meanwhile, or unknown
        }
    }
    for (const auto& a : change.audit) {
        pg::insert_audit(c, a);
    }
    for (const auto& n : change.notifications) {
        c.run(kInsertOutboxSql,
              *seq,
              n.kind,
              n.recipient,
              n.subject,
              n.body,
              n.created_at,
              n.next_attempt_at);
    }
    return std::nullopt;
}

}  // namespace

ChangeOutcome PostgresStore::commit_request_change(const RequestChange& change) {
    // An outcome other than "applied" must leave nothing behind: thrown out of the write job,
    // it rolls the transaction back.
    struct Abandoned {
        ChangeOutcome outcome;
    };
    try {
        write(
            [&change](pg::Connection& c) {
                if (auto refused = apply_change(c, change)) {
                    throw Abandoned{*refused};
                }
            },
            change.notifications.empty() ? kData : kOutbox);
    } catch (const Abandoned& abandoned) {
        return abandoned.outcome;
    }
    return ChangeOutcome::applied;
}

std::optional<RequestUpdate> PostgresStore::find_update(const std::string& update_id) {
    static const std::string sql = std::string(kUpdateColumns) + " WHERE u.id = $1";
    return read([&](pg::Connection& c) { return c.first(sql, read_update, update_id); });
}

std::vector<RequestUpdate> PostgresStore::list_request_updates(const std::string& request_id) {
    static const std::string sql =
        std::string(kUpdateColumns) + " WHERE r.id = $1 ORDER BY u.created_at, u.seq";
    return read([&](pg::Connection& c) { return c.all(sql, read_update, request_id); });
}

std::vector<RequestUpdate> PostgresStore::search_updates(const UpdateFilter& f) {
    pg::Params params;
    std::string where;
    auto add = [&where](const std::string& condition) {
        where += (where.empty() ? " WHERE " : " AND ") + condition;
    };
    auto in = [&params](const std::vector<ModerationState>& states) {
        std::string list;
        for (auto s : states) {
            list += (list.empty() ? "" : ", ") + params.placeholder(to_string(s));
        }
        return " IN (" + list + ")";
    };
    if (!f.states.empty()) {
        add("u.state" + in(f.states));
    }
    if (!f.request_states.empty()) {
        add("r.state" + in(f.request_states));
    }
    if (f.from) {
        add("u.created_at >= " + params.placeholder(*f.from));
    }
    if (f.to) {
        add("u.created_at <= " + params.placeholder(*f.to));
    }
    const std::string sql = std::string(kUpdateColumns) + where +
                            " ORDER BY u.created_at, u.seq LIMIT " + params.placeholder(f.limit);
    return read([&](pg::Connection& c) { return c.all_of(c.query(sql, params), read_update); });
}

std::optional<std::string> PostgresStore::find_update_id_by_token(const std::string& token) {
    return read(
        [&](pg::Connection& c) { return c.first(kFindUpdateByTokenSql, pg::read_text, token); });
}

}  // namespace open311::store::pg
