-- The staff console: people who sign in (passwords as Argon2id strings), their sessions (by
-- the hash of the browser's token; several instances can share them) and failed sign-ins
-- (throttling per account and per address).
CREATE TABLE staff_users (
    name          TEXT PRIMARY KEY NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('staff', 'admin')),
    password_hash TEXT NOT NULL,
    language      TEXT NOT NULL DEFAULT '',
    created_at    INTEGER NOT NULL,
    disabled_at   INTEGER
) STRICT;

CREATE TABLE staff_sessions (
    token_hash   TEXT PRIMARY KEY NOT NULL,
    user_name    TEXT NOT NULL REFERENCES staff_users (name),
    csrf_token   TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL
) STRICT;

CREATE INDEX staff_sessions_user ON staff_sessions (user_name);

CREATE TABLE login_failures (
    key TEXT NOT NULL,
    at  INTEGER NOT NULL
) STRICT;

CREATE INDEX login_failures_key ON login_failures (key, at);
