// SqliteStore: case handling — request changes with their updates, audit lines and outbox
// messages in one transaction; the updates feed.
#include "store/sqlite/sqlite_audit.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/where.hpp"

#include <nlohmann/json.hpp>

namespace open311::store {
namespace {

constexpr std::string_view kSeqOfRequestSql = R"sql(
    SELECT seq
    FROM requests
    WHERE id = ?)sql";
constexpr std::string_view kUpdateRequestSql = R"sql(
    UPDATE requests
    SET state = ?, status = ?, detailed_status = ?, status_notes = ?, title = ?,
        description = ?, agency_responsible = ?, service_notice = ?, updated_at = ?,
        expected_at = ?, address = ?, media_urls = ?, reject_reason = ?, version = version + 1
    WHERE id = ? AND version = ?)sql";
constexpr std::string_view kInsertUpdateSql = R"sql(
    INSERT INTO request_updates (id, request_seq, state, status, external_status,
        detailed_status, description, media_url, created_at, source, api_key_name,
        client_update_id, client_datetime, token)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kInsertUpdateSubmitterSql = R"sql(
    INSERT INTO update_submitters (update_seq, email, first_name, last_name, phone, title,
        account_id)
    VALUES (?, ?, ?, ?, ?, ?, ?))sql";
constexpr std::string_view kSetUpdateStateSql = R"sql(
    UPDATE request_updates
    SET state = ?
    WHERE id = ? AND request_seq = ? AND state = 'pending')sql";
constexpr std::string_view kInsertOutboxSql = R"sql(
    INSERT INTO outbox (request_seq, kind, recipient, subject, body, state, created_at,
        next_attempt_at)
    VALUES (?, ?, ?, ?, ?, 'pending', ?, ?))sql";
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
    WHERE token = ?)sql";

bool has_personal_data(const UpdateSubmitter& p) {
    return !(p.email.empty() && p.first_name.empty() && p.last_name.empty() && p.phone.empty() &&
             p.title.empty() && p.account_id.empty());
}

RequestUpdate read_update(Statement& s) {
    RequestUpdate u;
    u.id = s.text(0);
    u.request_id = s.text(1);
    u.state = moderation_state_from(s.text(2)).value_or(ModerationState::pending);
    u.status = s.text(3);
    u.external_status = s.text(4);
    u.detailed_status = s.text(5);
    u.description = s.text(6);
    u.media_url = s.text(7);
    u.at = s.int64(8);
    u.source = s.text(9) == "client" ? UpdateSource::client : UpdateSource::staff;
    u.api_key_name = s.text(10);
    u.client_update_id = s.text(11);
    u.client_datetime = s.optional_int64(12);
    u.token = s.text(13);
    u.submitter =
        UpdateSubmitter{s.text(14), s.text(15), s.text(16), s.text(17), s.text(18), s.text(19)};
    return u;
}

void insert_update(Database& db, std::int64_t request_seq, const RequestUpdate& u) {
    db.run(kInsertUpdateSql,
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
           null_if_empty(u.token));
    if (has_personal_data(u.submitter)) {
        const std::int64_t seq = sqlite3_last_insert_rowid(db.handle());
        const auto& p = u.submitter;
        db.run(kInsertUpdateSubmitterSql,
               seq,
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
std::optional<ChangeOutcome> apply_change(Database& db, const RequestChange& change) {
    const auto seq = db.first(kSeqOfRequestSql, read_int64, change.request_id);
    if (!seq) {
        return ChangeOutcome::not_found;
    }
    if (change.after) {
        const ServiceRequest& r = *change.after;
        if (db.run(kUpdateRequestSql,
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
        insert_update(db, *seq, u);
    }
    for (const auto& [update_id, state] : change.update_states) {
        if (db.run(kSetUpdateStateSql, to_string(state), update_id, *seq) == 0) {
            return ChangeOutcome::stale;  // moderated by someone else meanwhile, or unknown
        }
    }
    for (const auto& a : change.audit) {
        insert_audit(db, a);
    }
    for (const auto& n : change.notifications) {
        db.run(kInsertOutboxSql,
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

ChangeOutcome SqliteStore::commit_request_change(const RequestChange& change) {
    // An outcome other than "applied" must leave nothing behind: thrown out of the write job,
    // it rolls the job back to its savepoint (the batch's other writes still commit).
    struct Abandoned {
        ChangeOutcome outcome;
    };
    try {
        write([&change](Database& db) {
            if (auto refused = apply_change(db, change)) {
                throw Abandoned{*refused};
            }
        });
    } catch (const Abandoned& abandoned) {
        return abandoned.outcome;
    }
    if (!change.notifications.empty()) {
        notify(Topic::outbox);
    }
    return ChangeOutcome::applied;
}

std::optional<RequestUpdate> SqliteStore::find_update(const std::string& update_id) {
    static const std::string sql = std::string(kUpdateColumns) + " WHERE u.id = ?";
    return reader()->first(sql, read_update, update_id);
}

std::vector<RequestUpdate> SqliteStore::list_request_updates(const std::string& request_id) {
    static const std::string sql =
        std::string(kUpdateColumns) + " WHERE r.id = ? ORDER BY u.created_at, u.seq";
    return reader()->all(sql, read_update, request_id);
}

std::vector<RequestUpdate> SqliteStore::search_updates(const UpdateFilter& f) {
    Where where;
    if (!f.states.empty()) {
        where.add_in("u.state", f.states);
    }
    if (!f.request_states.empty()) {
        where.add_in("r.state", f.request_states);
    }
    if (f.from) {
        where.add("u.created_at >= ?");
        where.args.emplace_back(*f.from);
    }
    if (f.to) {
        where.add("u.created_at <= ?");
        where.args.emplace_back(*f.to);
    }
    const std::string sql =
        std::string(kUpdateColumns) + where.sql + " ORDER BY u.created_at, u.seq LIMIT ?";
    auto db = reader();
    StatementScope s(db->cached(sql));
    s->bind(where.bind_all(*s), f.limit);
    std::vector<RequestUpdate> out;
    while (s->step()) {
        out.push_back(read_update(*s));
    }
    return out;
}

std::optional<std::string> SqliteStore::find_update_id_by_token(const std::string& token) {
    return reader()->first(kFindUpdateByTokenSql, read_text, token);
}

}  // namespace open311::store
