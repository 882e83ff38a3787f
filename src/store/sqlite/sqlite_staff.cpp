// SqliteStore: staff console users, sessions and failed sign-ins.
#include "store/sqlite/sqlite_audit.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace open311::store {

namespace {

// clang-format off
constexpr std::string_view kInsertUserSql = R"sql(
    INSERT INTO staff_users (name, role, password_hash, language, created_at, disabled_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (name) DO NOTHING)sql";
constexpr std::string_view kListUsersSql = R"sql(
    SELECT name, role, password_hash, language, created_at, disabled_at
    FROM staff_users
    ORDER BY name)sql";
constexpr std::string_view kFindUserSql = R"sql(
    SELECT name, role, password_hash, language, created_at, disabled_at
    FROM staff_users
    WHERE name = ?)sql";
constexpr std::string_view kSetPasswordSql = R"sql(
    UPDATE staff_users SET password_hash = ? WHERE name = ?)sql";
constexpr std::string_view kDisableUserSql = R"sql(
    UPDATE staff_users SET disabled_at = ? WHERE name = ? AND disabled_at IS NULL)sql";
constexpr std::string_view kSetLanguageSql = R"sql(
    UPDATE staff_users SET language = ? WHERE name = ?)sql";
constexpr std::string_view kEndUserSessionsSql = R"sql(
    DELETE FROM staff_sessions WHERE user_name = ?)sql";
constexpr std::string_view kInsertSessionSql = R"sql(
    INSERT INTO staff_sessions (token_hash, user_name, csrf_token, created_at, last_seen_at)
    VALUES (?, ?, ?, ?, ?))sql";
constexpr std::string_view kFindSessionSql = R"sql(
    SELECT token_hash, user_name, csrf_token, created_at, last_seen_at
    FROM staff_sessions
    WHERE token_hash = ?)sql";
constexpr std::string_view kTouchSessionSql = R"sql(
    UPDATE staff_sessions SET last_seen_at = max(last_seen_at, ?) WHERE token_hash = ?)sql";
constexpr std::string_view kDeleteSessionSql = R"sql(
    DELETE FROM staff_sessions WHERE token_hash = ?)sql";
constexpr std::string_view kPurgeSessionsSql = R"sql(
    DELETE FROM staff_sessions WHERE last_seen_at < ? OR created_at < ?)sql";
constexpr std::string_view kInsertFailureSql = R"sql(
    INSERT INTO login_failures (key, at) VALUES (?, ?))sql";
constexpr std::string_view kCountFailuresSql = R"sql(
    SELECT count(*) FROM login_failures WHERE key = ? AND at >= ?)sql";
constexpr std::string_view kClearFailuresSql = R"sql(
    DELETE FROM login_failures WHERE key = ?)sql";
constexpr std::string_view kPurgeFailuresSql = R"sql(
    DELETE FROM login_failures WHERE at < ?)sql";
// clang-format on

StaffUser read_user(Statement& s) {
    StaffUser user;
    user.name = s.text(0);
    user.role = role_from(s.text(1)).value_or(Role::staff);
    user.password_hash = s.text(2);
    user.language = s.text(3);
    user.created_at = s.int64(4);
    user.disabled_at = s.optional_int64(5);
    return user;
}

StaffSession read_session(Statement& s) {
    return StaffSession{s.text(0), s.text(1), s.text(2), s.int64(3), s.int64(4)};
}

}  // namespace

bool SqliteStore::insert_user(const StaffUser& user, const AuditEntry& audit) {
    return write_audited(
        [&](Database& db) {
            const std::string role = to_string(user.role);
            return db.run(kInsertUserSql,
                          user.name,
                          role,
                          user.password_hash,
                          user.language,
                          user.created_at,
                          user.disabled_at) == 1;
        },
        &audit);
}

std::vector<StaffUser> SqliteStore::list_users() {
    return reader()->all(kListUsersSql, read_user);
}

std::optional<StaffUser> SqliteStore::find_user(const std::string& name) {
    return reader()->first(kFindUserSql, read_user, name);
}

bool SqliteStore::set_user_password(const std::string& name,
                                    const std::string& password_hash,
                                    const AuditEntry& audit) {
    return write_audited(
        [&](Database& db) {
            if (db.run(kSetPasswordSql, password_hash, name) != 1) {
                return false;
            }
            // Whoever held the old password is signed out everywhere.
            db.run(kEndUserSessionsSql, name);
            return true;
        },
        &audit);
}

bool SqliteStore::disable_user(const std::string& name, Timestamp at, const AuditEntry& audit) {
    return write_audited(
        [&](Database& db) {
            if (db.run(kDisableUserSql, at, name) != 1) {
                return false;
            }
            db.run(kEndUserSessionsSql, name);
            return true;
        },
        &audit);
}

bool SqliteStore::set_user_language(const std::string& name, const std::string& language) {
    return write_one(kSetLanguageSql, language, name) == 1;
}

void SqliteStore::insert_session(const StaffSession& session) {
    write_one(kInsertSessionSql,
              session.token_hash,
              session.user_name,
              session.csrf_token,
              session.created_at,
              session.last_seen_at);
}

std::optional<StaffSession> SqliteStore::find_session(const std::string& token_hash) {
    return reader()->first(kFindSessionSql, read_session, token_hash);
}

void SqliteStore::touch_session(const std::string& token_hash, Timestamp at) {
    write_one(kTouchSessionSql, at, token_hash);
}

bool SqliteStore::delete_session(const std::string& token_hash) {
    return write_one(kDeleteSessionSql, token_hash) == 1;
}

std::int64_t SqliteStore::purge_sessions(Timestamp idle_before, Timestamp created_before) {
    return write_one(kPurgeSessionsSql, idle_before, created_before);
}

void SqliteStore::record_login_failure(const std::string& key, Timestamp at) {
    write_one(kInsertFailureSql, key, at);
}

std::int64_t SqliteStore::count_login_failures(const std::string& key, Timestamp since) {
    return reader()->first(kCountFailuresSql, read_int64, key, since).value_or(0);
}

void SqliteStore::clear_login_failures(const std::string& key) {
    write_one(kClearFailuresSql, key);
}

std::int64_t SqliteStore::purge_login_failures(Timestamp before) {
    return write_one(kPurgeFailuresSql, before);
}

}  // namespace open311::store
