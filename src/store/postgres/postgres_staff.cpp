// PostgresStore: staff console users, sessions and failed sign-ins
// (migrations/postgresql/0003_staff_console.sql). Sessions live in the database, so that every
// server sharing it knows them.
#include "store/postgres/postgres_store.hpp"

namespace open311::store::pg {

namespace {

// clang-format off
constexpr std::string_view kInsertUserSql = R"sql(
    INSERT INTO staff_users (name, role, password_hash, language, created_at, disabled_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (name) DO NOTHING)sql";
constexpr std::string_view kListUsersSql = R"sql(
    SELECT name, role, password_hash, language, created_at, disabled_at
    FROM staff_users
    ORDER BY name COLLATE "C")sql";
constexpr std::string_view kFindUserSql = R"sql(
    SELECT name, role, password_hash, language, created_at, disabled_at
    FROM staff_users
    WHERE name = $1)sql";
constexpr std::string_view kSetPasswordSql = R"sql(
    UPDATE staff_users SET password_hash = $1 WHERE name = $2)sql";
constexpr std::string_view kDisableUserSql = R"sql(
    UPDATE staff_users SET disabled_at = $1 WHERE name = $2 AND disabled_at IS NULL)sql";
constexpr std::string_view kSetLanguageSql = R"sql(
    UPDATE staff_users SET language = $1 WHERE name = $2)sql";
constexpr std::string_view kEndUserSessionsSql = R"sql(
    DELETE FROM staff_sessions WHERE user_name = $1)sql";
constexpr std::string_view kInsertSessionSql = R"sql(
    INSERT INTO staff_sessions (token_hash, user_name, csrf_token, created_at, last_seen_at)
    VALUES ($1, $2, $3, $4, $5))sql";
constexpr std::string_view kFindSessionSql = R"sql(
    SELECT token_hash, user_name, csrf_token, created_at, last_seen_at
    FROM staff_sessions
    WHERE token_hash = $1)sql";
constexpr std::string_view kTouchSessionSql = R"sql(
    UPDATE staff_sessions SET last_seen_at = greatest(last_seen_at, $1) WHERE token_hash = $2)sql";
constexpr std::string_view kDeleteSessionSql = R"sql(
    DELETE FROM staff_sessions WHERE token_hash = $1)sql";
constexpr std::string_view kPurgeSessionsSql = R"sql(
    DELETE FROM staff_sessions WHERE last_seen_at < $1 OR created_at < $2)sql";
constexpr std::string_view kInsertFailureSql = R"sql(
    INSERT INTO login_failures (key, at) VALUES ($1, $2))sql";
constexpr std::string_view kCountFailuresSql = R"sql(
    SELECT count(*) FROM login_failures WHERE key = $1 AND at >= $2)sql";
constexpr std::string_view kClearFailuresSql = R"sql(
    DELETE FROM login_failures WHERE key = $1)sql";
constexpr std::string_view kPurgeFailuresSql = R"sql(
    DELETE FROM login_failures WHERE at < $1)sql";
// clang-format on

StaffUser read_user(const pg::Row& r) {
    StaffUser user;
    user.name = r.text(0);
    user.role = role_from(r.text(1)).value_or(Role::staff);
    user.password_hash = r.text(2);
    user.language = r.text(3);
    user.created_at = r.int64(4);
    user.disabled_at = r.optional_int64(5);
    return user;
}

StaffSession read_session(const pg::Row& r) {
    return StaffSession{r.text(0), r.text(1), r.text(2), r.int64(3), r.int64(4)};
}

}  // namespace

bool PostgresStore::insert_user(const StaffUser& user, const AuditEntry& audit) {
    return write_audited(
        [&](pg::Connection& c) {
            return c.run(kInsertUserSql,
                         user.name,
                         std::string(to_string(user.role)),
                         user.password_hash,
                         user.language,
                         user.created_at,
                         user.disabled_at) == 1;
        },
        &audit);
}

std::vector<StaffUser> PostgresStore::list_users() {
    return read([](pg::Connection& c) { return c.all(kListUsersSql, read_user); });
}

std::optional<StaffUser> PostgresStore::find_user(const std::string& name) {
    return read([&](pg::Connection& c) { return c.first(kFindUserSql, read_user, name); });
}

bool PostgresStore::set_user_password(const std::string& name,
                                      const std::string& password_hash,
                                      const AuditEntry& audit) {
    return write_audited(
        [&](pg::Connection& c) {
            if (c.run(kSetPasswordSql, password_hash, name) != 1) {
                return false;
            }
            // Whoever held the old password is signed out everywhere.
            c.run(kEndUserSessionsSql, name);
            return true;
        },
        &audit);
}

bool PostgresStore::disable_user(const std::string& name, Timestamp at, const AuditEntry& audit) {
    return write_audited(
        [&](pg::Connection& c) {
            if (c.run(kDisableUserSql, at, name) != 1) {
                return false;
            }
            c.run(kEndUserSessionsSql, name);
            return true;
        },
        &audit);
}

bool PostgresStore::set_user_language(const std::string& name, const std::string& language) {
    return write_one(kSetLanguageSql, language, name) == 1;
}

void PostgresStore::insert_session(const StaffSession& session) {
    write_one(kInsertSessionSql,
              session.token_hash,
              session.user_name,
              session.csrf_token,
              session.created_at,
              session.last_seen_at);
}

std::optional<StaffSession> PostgresStore::find_session(const std::string& token_hash) {
    return read(
        [&](pg::Connection& c) { return c.first(kFindSessionSql, read_session, token_hash); });
}

void PostgresStore::touch_session(const std::string& token_hash, Timestamp at) {
    write_one(kTouchSessionSql, at, token_hash);
}

bool PostgresStore::delete_session(const std::string& token_hash) {
    return write_one(kDeleteSessionSql, token_hash) == 1;
}

std::int64_t PostgresStore::purge_sessions(Timestamp idle_before, Timestamp created_before) {
    return write_one(kPurgeSessionsSql, idle_before, created_before);
}

void PostgresStore::record_login_failure(const std::string& key, Timestamp at) {
    write_one(kInsertFailureSql, key, at);
}

std::int64_t PostgresStore::count_login_failures(const std::string& key, Timestamp since) {
    return read([&](pg::Connection& c) {
               return c.first(kCountFailuresSql, read_int64, key, since);
           })
        .value_or(0);
}

void PostgresStore::clear_login_failures(const std::string& key) {
    write_one(kClearFailuresSql, key);
}

std::int64_t PostgresStore::purge_login_failures(Timestamp before) {
    return write_one(kPurgeFailuresSql, before);
}

}  // namespace open311::store::pg
