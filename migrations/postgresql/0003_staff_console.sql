-- The staff console (docs/staff-console.md), equal in content to SQLite's migration
-- 0007_staff_console.sql: people who sign in (passwords as Argon2id strings), their sessions
-- (by the hash of the browser's token; every server sharing the database sees them) and failed
-- sign-ins (throttling per account and per address).
CREATE TABLE staff_users (
    name          TEXT PRIMARY KEY,
    role          TEXT NOT NULL CHECK (role IN ('staff', 'admin')),
    password_hash TEXT NOT NULL,
    language      TEXT NOT NULL DEFAULT '',
    created_at    BIGINT NOT NULL,
    disabled_at   BIGINT
);

CREATE TABLE staff_sessions (
    token_hash   TEXT PRIMARY KEY,
    user_name    TEXT NOT NULL REFERENCES staff_users (name),
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL
);

CREATE INDEX staff_sessions_user ON staff_sessions (user_name);

CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  BIGINT NOT NULL
);

CREATE INDEX login_failures_key ON login_failures (key, at);
