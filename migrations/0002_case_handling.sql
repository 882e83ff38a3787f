-- Case handling: service request updates, the staff audit trail and the notification outbox.

-- Service request updates (GeoReport v2 / FMS "request_update"). Updates written by staff are
-- published at once; updates posted by clients wait for moderation like requests do.
CREATE TABLE request_updates (
    seq              INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    request_seq      INTEGER NOT NULL REFERENCES requests (seq) ON DELETE CASCADE,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'published', 'rejected')),
    status           TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    external_status  TEXT NOT NULL DEFAULT '',
    detailed_status  TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    media_url        TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('staff', 'client')),
    api_key_name     TEXT NOT NULL DEFAULT '',
    client_update_id TEXT NOT NULL DEFAULT '',
    client_datetime  INTEGER,
    token            TEXT UNIQUE
) STRICT;

CREATE INDEX request_updates_state_created ON request_updates (state, created_at);
CREATE INDEX request_updates_request ON request_updates (request_seq, created_at);

-- Personal data of whoever posted a client update, apart from the public record.
CREATE TABLE update_submitters (
    update_seq  INTEGER PRIMARY KEY REFERENCES request_updates (seq) ON DELETE CASCADE,
    email       TEXT NOT NULL DEFAULT '',
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    account_id  TEXT NOT NULL DEFAULT ''
) STRICT;

-- Append-only: who (key name) did what, when, with the values before and after (JSON).
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    request_id TEXT,
    subject    TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX audit_log_request ON audit_log (request_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

-- Outgoing e-mail, written in the same transaction as the change that causes it.
-- A sender claims a message by setting lease_until, so two servers never send one message twice
-- at the same time.
CREATE TABLE outbox (
    seq             INTEGER PRIMARY KEY,
    request_seq     INTEGER REFERENCES requests (seq) ON DELETE SET NULL,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    lease_until     INTEGER,
    sent_at         INTEGER,
    last_error      TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_request ON outbox (request_seq);

-- The language the submitter used, for the notification's template.
ALTER TABLE request_submitters ADD COLUMN locale TEXT NOT NULL DEFAULT '';
