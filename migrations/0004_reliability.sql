-- Abuse control and safe retries: per-key POST rate limits, per-key usage counters, and the
-- Idempotency-Key records of POST /requests.

-- NULL: the server's configured default for keys (limits.key_posts_per_minute / key_burst).
ALTER TABLE api_keys ADD COLUMN posts_per_minute INTEGER;
ALTER TABLE api_keys ADD COLUMN post_burst INTEGER;

-- Counted in memory and added here in the background (never one write per request).
CREATE TABLE api_key_usage (
    key_name     TEXT NOT NULL,
    day          TEXT NOT NULL,  -- YYYY-MM-DD, UTC
    created      INTEGER NOT NULL DEFAULT 0,  -- requests created
    rejected     INTEGER NOT NULL DEFAULT 0,  -- POSTs answered with a client error
    rate_limited INTEGER NOT NULL DEFAULT 0,  -- POSTs answered 429
    PRIMARY KEY (key_name, day)
) STRICT, WITHOUT ROWID;

-- One row per (API key, Idempotency-Key). status 0: the first request is still being handled.
CREATE TABLE idempotency_keys (
    api_key_name TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,  -- SHA-256 of the request's format and fields
    request_id   TEXT NOT NULL,  -- reserved for the request this key creates
    created_at   INTEGER NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL DEFAULT '',
    body         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (api_key_name, idempotency_key)
) STRICT;

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
