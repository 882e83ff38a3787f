// SqliteStore: case handling — request changes with their updates, audit lines and outbox
// messages in one transaction; the updates feed; the outbox claimed by senders.
#include "store/sqlite_store.hpp"

#include <nlohmann/json.hpp>

#include <variant>

namespace open311::store {
namespace {

// clang-format off
constexpr std::string_view kSeqOfRequestSql = "SELECT seq FROM requests WHERE id = ?";
constexpr std::string_view kUpdateRequestSql =
    "UPDATE requests SET state = ?, status = ?, detailed_status = ?, status_notes = ?, title = ?, "
    "description = ?, agency_responsible = ?, service_notice = ?, updated_at = ?, expected_at = ?, "
    "address = ?, media_urls = ?, reject_reason = ?, version = version + 1 "
    "WHERE id = ? AND version = ?";
constexpr std::string_view kInsertUpdateSql =
    "INSERT INTO request_updates (id, request_seq, state, status, external_status, "
    "detailed_status, description, media_url, created_at, source, api_key_name, "
    "client_update_id, client_datetime, token) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertUpdateSubmitterSql =
    "INSERT INTO update_submitters (update_seq, email, first_name, last_name, phone, title, "
    "account_id) VALUES (?, ?, ?, ?, ?, ?, ?)";
constexpr std::string_view kSetUpdateStateSql =
    "UPDATE request_updates SET state = ? WHERE id = ? AND request_seq = ? AND state = 'pending'";
constexpr std::string_view kInsertAuditSql =
    "INSERT INTO audit_log (at, actor, action, request_id, subject, detail) "
    "VALUES (?, ?, ?, ?, ?, ?)";
constexpr std::string_view kInsertOutboxSql =
    "INSERT INTO outbox (request_seq, kind, recipient, subject, body, state, created_at, "
    "next_attempt_at) VALUES (?, ?, ?, ?, ?, 'pending', ?, ?)";
constexpr std::string_view kUpdateColumns =
    "SELECT u.id, r.id, u.state, u.status, u.external_status, u.detailed_status, u.description, "
    "u.media_url, u.created_at, u.source, u.api_key_name, u.client_update_id, u.client_datetime, "
    "u.token, s.email, s.first_name, s.last_name, s.phone, s.title, s.account_id "
    "FROM request_updates u JOIN requests r ON r.seq = u.request_seq "
    "LEFT JOIN update_submitters s ON s.update_seq = u.seq";
constexpr std::string_view kFindUpdateByTokenSql =
    "SELECT id FROM request_updates WHERE token = ?";
constexpr std::string_view kListAuditSql =
    "SELECT seq, at, actor, action, request_id, subject, detail FROM audit_log "
    "WHERE request_id = ? ORDER BY seq";
constexpr std::string_view kNotificationColumns =
    "SELECT o.seq, r.id, o.kind, o.recipient, o.subject, o.body, o.state, o.attempts, "
    "o.created_at, o.next_attempt_at, o.sent_at, o.last_error "
    "FROM outbox o LEFT JOIN requests r ON r.seq = o.request_seq";
constexpr std::string_view kDueSql =
    "SELECT seq FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? "
    "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY next_attempt_at, seq LIMIT ?";
constexpr std::string_view kLeaseSql =
    "UPDATE outbox SET lease_until = ?, attempts = attempts + 1 WHERE seq = ?";
constexpr std::string_view kSentSql =
    "UPDATE outbox SET state = 'sent', sent_at = ?, lease_until = NULL, last_error = '' "
    "WHERE seq = ?";
constexpr std::string_view kRetrySql =
    "UPDATE outbox SET next_attempt_at = ?, lease_until = NULL, last_error = ? WHERE seq = ?";
constexpr std::string_view kFailedSql =
    "UPDATE outbox SET state = 'failed', lease_until = NULL, last_error = ? WHERE seq = ?";
// clang-format on

std::optional<std::int64_t> request_seq(Database& db, const std::string& id) {
    StatementScope s(db.cached(kSeqOfRequestSql));
    s->bind(1, id);
    if (!s->step()) {
        return std::nullopt;
    }
    return s->int64(0);
}

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

Notification read_notification(Statement& s) {
    Notification n;
    n.seq = s.int64(0);
    n.request_id = s.text(1);
    n.kind = s.text(2);
    n.recipient = s.text(3);
    n.subject = s.text(4);
    n.body = s.text(5);
    n.state = delivery_state_from(s.text(6)).value_or(DeliveryState::pending);
    n.attempts = static_cast<int>(s.int64(7));
    n.created_at = s.int64(8);
    n.next_attempt_at = s.int64(9);
    n.sent_at = s.optional_int64(10);
    n.last_error = s.text(11);
    return n;
}

void insert_audit(Database& db, const AuditEntry& a) {
    StatementScope s(db.cached(kInsertAuditSql));
    s->bind(1, a.at).bind(2, a.actor).bind(3, a.action);
    if (a.request_id.empty()) {
        s->bind_null(4);
    } else {
        s->bind(4, a.request_id);
    }
    s->bind(5, a.subject).bind(6, a.detail.empty() ? std::string("{}") : a.detail).run();
}

void insert_update(Database& db, std::int64_t req_seq, const RequestUpdate& u) {
    {
        StatementScope s(db.cached(kInsertUpdateSql));
        s->bind(1, u.id)
            .bind(2, req_seq)
            .bind(3, to_string(u.state))
            .bind(4, u.status)
            .bind(5, u.external_status)
            .bind(6, u.detailed_status)
            .bind(7, u.description)
            .bind(8, u.media_url)
            .bind(9, u.at)
            .bind(10, to_string(u.source))
            .bind(11, u.api_key_name)
            .bind(12, u.client_update_id)
            .bind(13, u.client_datetime);
        if (u.token.empty()) {
            s->bind_null(14);
        } else {
            s->bind(14, u.token);
        }
        s->run();
    }
    if (has_personal_data(u.submitter)) {
        const std::int64_t seq = sqlite3_last_insert_rowid(db.handle());
        const auto& p = u.submitter;
        StatementScope s(db.cached(kInsertUpdateSubmitterSql));
        s->bind(1, seq)
            .bind(2, p.email)
            .bind(3, p.first_name)
            .bind(4, p.last_name)
            .bind(5, p.phone)
            .bind(6, p.title)
            .bind(7, p.account_id)
            .run();
    }
}

}  // namespace

ChangeOutcome SqliteStore::commit_request_change(const RequestChange& change) {
    std::lock_guard lock(writer_mutex_);
    Database& db = *writer_;
    Transaction tx(db);
    const auto seq = request_seq(db, change.request_id);
    if (!seq) {
        return ChangeOutcome::not_found;
    }
    if (change.after) {
        const ServiceRequest& r = *change.after;
        StatementScope s(db.cached(kUpdateRequestSql));
        s->bind(1, to_string(r.state))
            .bind(2, r.status)
            .bind(3, r.detailed_status)
            .bind(4, r.status_notes)
            .bind(5, r.title)
            .bind(6, r.description)
            .bind(7, r.agency_responsible)
            .bind(8, r.service_notice)
            .bind(9, r.updated_at)
            .bind(10, r.expected_at)
            .bind(11, r.address)
            .bind(12, nlohmann::json(r.media_urls).dump())
            .bind(13, r.reject_reason)
            .bind(14, change.request_id)
            .bind(15, change.expected_version)
            .run();
        if (db.changes() == 0) {
            return ChangeOutcome::stale;
        }
    }
    for (const auto& u : change.new_updates) {
        insert_update(db, *seq, u);
    }
    for (const auto& [update_id, state] : change.update_states) {
        StatementScope s(db.cached(kSetUpdateStateSql));
        s->bind(1, to_string(state)).bind(2, update_id).bind(3, *seq).run();
        if (db.changes() == 0) {
            return ChangeOutcome::stale;  // moderated by someone else meanwhile, or unknown
        }
    }
    for (const auto& a : change.audit) {
        insert_audit(db, a);
    }
    for (const auto& n : change.notifications) {
        StatementScope s(db.cached(kInsertOutboxSql));
        s->bind(1, *seq)
            .bind(2, n.kind)
            .bind(3, n.recipient)
            .bind(4, n.subject)
            .bind(5, n.body)
            .bind(6, n.created_at)
            .bind(7, n.next_attempt_at)
            .run();
    }
    tx.commit();
    if (!change.notifications.empty()) {
        notify_outbox();
    }
    return ChangeOutcome::applied;
}

std::optional<RequestUpdate> SqliteStore::find_update(const std::string& update_id) {
    static const std::string sql = std::string(kUpdateColumns) + " WHERE u.id = ?";
    auto db = reader();
    StatementScope s(db->cached(sql));
    s->bind(1, update_id);
    if (!s->step()) {
        return std::nullopt;
    }
    return read_update(*s);
}

std::vector<RequestUpdate> SqliteStore::list_request_updates(const std::string& request_id) {
    static const std::string sql =
        std::string(kUpdateColumns) + " WHERE r.id = ? ORDER BY u.created_at, u.seq";
    auto db = reader();
    StatementScope s(db->cached(sql));
    s->bind(1, request_id);
    std::vector<RequestUpdate> out;
    while (s->step()) {
        out.push_back(read_update(*s));
    }
    return out;
}

std::vector<RequestUpdate> SqliteStore::search_updates(const UpdateFilter& f) {
    std::string where;
    std::vector<std::variant<std::string, std::int64_t>> args;
    auto add = [&where](const std::string& condition) {
        where += (where.empty() ? " WHERE " : " AND ") + condition;
    };
    auto add_states = [&](const char* column, const std::vector<ModerationState>& states) {
        if (states.empty()) {
            return;
        }
        std::string list;
        for (auto st : states) {
            list += list.empty() ? "?" : ", ?";
            args.emplace_back(std::string(to_string(st)));
        }
        add(std::string(column) + " IN (" + list + ")");
    };
    add_states("u.state", f.states);
    add_states("r.state", f.request_states);
    if (f.from) {
        add("u.created_at >= ?");
        args.emplace_back(*f.from);
    }
    if (f.to) {
        add("u.created_at <= ?");
        args.emplace_back(*f.to);
    }
    const std::string sql =
        std::string(kUpdateColumns) + where + " ORDER BY u.created_at, u.seq LIMIT ?";
    auto db = reader();
    StatementScope s(db->cached(sql));
    int i = 1;
    for (const auto& a : args) {
        std::visit([&s, &i](const auto& value) { s->bind(i++, value); }, a);
    }
    s->bind(i, static_cast<std::int64_t>(f.limit));
    std::vector<RequestUpdate> out;
    while (s->step()) {
        out.push_back(read_update(*s));
    }
    return out;
}

std::optional<std::string> SqliteStore::find_update_id_by_token(const std::string& token) {
    auto db = reader();
    StatementScope s(db->cached(kFindUpdateByTokenSql));
    s->bind(1, token);
    if (!s->step()) {
        return std::nullopt;
    }
    return s->text(0);
}

void SqliteStore::append_audit(const AuditEntry& entry) {
    std::lock_guard lock(writer_mutex_);
    insert_audit(*writer_, entry);
}

std::vector<AuditEntry> SqliteStore::list_request_audit(const std::string& request_id) {
    auto db = reader();
    StatementScope s(db->cached(kListAuditSql));
    s->bind(1, request_id);
    std::vector<AuditEntry> out;
    while (s->step()) {
        out.push_back(AuditEntry{
            s->int64(0), s->int64(1), s->text(2), s->text(3), s->text(4), s->text(5), s->text(6)});
    }
    return out;
}

std::vector<Notification> SqliteStore::claim_due_notifications(Timestamp now,
                                                               int limit,
                                                               Timestamp lease_until) {
    static const std::string by_seq = std::string(kNotificationColumns) + " WHERE o.seq = ?";
    std::lock_guard lock(writer_mutex_);
    Database& db = *writer_;
    Transaction tx(db);
    std::vector<std::int64_t> due;
    {
        StatementScope s(db.cached(kDueSql));
        s->bind(1, now).bind(2, now).bind(3, static_cast<std::int64_t>(limit));
        while (s->step()) {
            due.push_back(s->int64(0));
        }
    }
    std::vector<Notification> out;
    for (auto seq : due) {
        {
            StatementScope s(db.cached(kLeaseSql));
            s->bind(1, lease_until).bind(2, seq).run();
        }
        StatementScope s(db.cached(by_seq));
        s->bind(1, seq);
        if (s->step()) {
            out.push_back(read_notification(*s));
        }
    }
    tx.commit();
    return out;
}

void SqliteStore::mark_notification_sent(std::int64_t seq, Timestamp at) {
    std::lock_guard lock(writer_mutex_);
    StatementScope s(writer_->cached(kSentSql));
    s->bind(1, at).bind(2, seq).run();
}

void SqliteStore::mark_notification_failed(std::int64_t seq,
                                           const std::string& error,
                                           std::optional<Timestamp> retry_at) {
    std::lock_guard lock(writer_mutex_);
    if (retry_at) {
        StatementScope s(writer_->cached(kRetrySql));
        s->bind(1, *retry_at).bind(2, error).bind(3, seq).run();
    } else {
        StatementScope s(writer_->cached(kFailedSql));
        s->bind(1, error).bind(2, seq).run();
    }
}

void SqliteStore::set_outbox_listener(std::function<void()> listener) {
    std::lock_guard lock(listener_mutex_);
    outbox_listener_ = std::move(listener);
}

void SqliteStore::notify_outbox() {
    std::function<void()> listener;
    {
        std::lock_guard lock(listener_mutex_);
        listener = outbox_listener_;
    }
    if (listener) {
        listener();
    }
}

std::vector<Notification> SqliteStore::list_request_notifications(const std::string& request_id) {
    static const std::string sql =
        std::string(kNotificationColumns) + " WHERE r.id = ? ORDER BY o.seq";
    auto db = reader();
    StatementScope s(db->cached(sql));
    s->bind(1, request_id);
    std::vector<Notification> out;
    while (s->step()) {
        out.push_back(read_notification(*s));
    }
    return out;
}

}  // namespace open311::store
