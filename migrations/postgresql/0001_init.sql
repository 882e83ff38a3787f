-- The PostgreSQL schema, equal in content to SQLite's migrations 0001 to 0006 (this folder has
-- its own version sequence). Timestamps are BIGINT seconds since the Unix epoch, UTC, as in
-- SQLite, so both backends give the same answers.

CREATE TABLE services (
    code        TEXT PRIMARY KEY,
    type        TEXT NOT NULL CHECK (type IN ('realtime', 'batch', 'blackbox')),
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE service_translations (
    service_code TEXT NOT NULL REFERENCES services (code) ON DELETE CASCADE,
    locale       TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    keywords     TEXT NOT NULL DEFAULT '',
    group_name   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_code, locale)
);

-- Localized attribute texts are JSON objects {"fi": "...", "en": "..."}, kept as text.
CREATE TABLE service_attributes (
    service_code         TEXT NOT NULL REFERENCES services (code) ON DELETE CASCADE,
    code                 TEXT NOT NULL,
    variable             BOOLEAN NOT NULL DEFAULT TRUE,
    datatype             TEXT NOT NULL CHECK (datatype IN ('string', 'number', 'datetime', 'text',
                                                           'singlevaluelist', 'multivaluelist')),
    required             BOOLEAN NOT NULL DEFAULT FALSE,
    datatype_description TEXT NOT NULL DEFAULT '{}',
    sort_order           INTEGER NOT NULL,
    description          TEXT NOT NULL DEFAULT '{}',
    automated            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_code, code)
);

CREATE TABLE service_attribute_values (
    service_code   TEXT NOT NULL,
    attribute_code TEXT NOT NULL,
    key            TEXT NOT NULL,
    sort_order     INTEGER NOT NULL,
    name           TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (service_code, attribute_code, key),
    FOREIGN KEY (service_code, attribute_code)
        REFERENCES service_attributes (service_code, code) ON DELETE CASCADE
);

-- Bumped by every catalogue change so that servers can refresh their cached copy.
CREATE TABLE catalogue_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision BIGINT NOT NULL
);
INSERT INTO catalogue_revision (id, revision) VALUES (1, 0);

CREATE TABLE requests (
    seq                 BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                  TEXT NOT NULL UNIQUE,
    service_code        TEXT NOT NULL REFERENCES services (code),
    state               TEXT NOT NULL CHECK (state IN ('pending', 'published', 'rejected')),
    status              TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    detailed_status     TEXT NOT NULL DEFAULT '',
    status_notes        TEXT NOT NULL DEFAULT '',
    title               TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL DEFAULT '',
    agency_responsible  TEXT NOT NULL DEFAULT '',
    service_notice      TEXT NOT NULL DEFAULT '',
    requested_at        BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    expected_at         BIGINT,
    address             TEXT NOT NULL DEFAULT '',
    address_id          TEXT NOT NULL DEFAULT '',
    zipcode             TEXT NOT NULL DEFAULT '',
    lat                 DOUBLE PRECISION,
    long                DOUBLE PRECISION,
    service_object_type TEXT NOT NULL DEFAULT '',
    service_object_id   TEXT NOT NULL DEFAULT '',
    media_urls          TEXT NOT NULL DEFAULT '[]',
    attributes          TEXT NOT NULL DEFAULT '[]',
    can_be_published    BOOLEAN NOT NULL DEFAULT FALSE,
    reject_reason       TEXT NOT NULL DEFAULT '',
    api_key_name        TEXT NOT NULL DEFAULT '',
    token               TEXT UNIQUE,
    version             BIGINT NOT NULL DEFAULT 1
);

-- The public lists filter on the moderation state first and order by a time (see SQLite's
-- 0005_performance.sql): the same indexes.
CREATE INDEX requests_state_requested ON requests (state, requested_at);
CREATE INDEX requests_state_updated ON requests (state, updated_at);
CREATE INDEX requests_state_service_requested ON requests (state, service_code, requested_at);
CREATE INDEX requests_service_object ON requests (service_object_type, service_object_id);
CREATE INDEX requests_state_service_status_requested
    ON requests (state, service_code, status, requested_at);
CREATE INDEX requests_state_status_requested ON requests (state, status, requested_at);
-- The map index: a GiST index over the built-in point type (x = longitude, y = latitude).
-- Radius and box queries narrow to a lat/long box through it (the `<@` operator), then test
-- the exact distance on the row, as SQLite does with its R*Tree: the same answers, and no
-- extension to install.
CREATE INDEX requests_location ON requests USING gist (point(long, lat));

-- Personal data of the submitter, apart from the public record.
CREATE TABLE request_submitters (
    request_seq BIGINT PRIMARY KEY REFERENCES requests (seq) ON DELETE CASCADE,
    email       TEXT NOT NULL DEFAULT '',
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    device_id   TEXT NOT NULL DEFAULT '',
    account_id  TEXT NOT NULL DEFAULT '',
    locale      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE api_keys (
    name             TEXT PRIMARY KEY,
    role             TEXT NOT NULL CHECK (role IN ('client', 'staff', 'admin')),
    secret_hash      TEXT NOT NULL UNIQUE,
    prefix           TEXT NOT NULL,
    created_at       BIGINT NOT NULL,
    expires_at       BIGINT,
    revoked_at       BIGINT,
    -- NULL: the server's configured default (limits.key_posts_per_minute / key_burst).
    posts_per_minute INTEGER,
    post_burst       INTEGER
);

-- Service request updates. Staff updates are published at once; client updates wait for
-- moderation like requests do.
CREATE TABLE request_updates (
    seq              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    request_seq      BIGINT NOT NULL REFERENCES requests (seq) ON DELETE CASCADE,
    state            TEXT NOT NULL CHECK (state IN ('pending', 'published', 'rejected')),
    status           TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    external_status  TEXT NOT NULL DEFAULT '',
    detailed_status  TEXT NOT NULL DEFAULT '',
    description      TEXT NOT NULL DEFAULT '',
    media_url        TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL,
    source           TEXT NOT NULL CHECK (source IN ('staff', 'client')),
    api_key_name     TEXT NOT NULL DEFAULT '',
    client_update_id TEXT NOT NULL DEFAULT '',
    client_datetime  BIGINT,
    token            TEXT UNIQUE
);

CREATE INDEX request_updates_state_created ON request_updates (state, created_at);
CREATE INDEX request_updates_request ON request_updates (request_seq, created_at);

CREATE TABLE update_submitters (
    update_seq  BIGINT PRIMARY KEY REFERENCES request_updates (seq) ON DELETE CASCADE,
    email       TEXT NOT NULL DEFAULT '',
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    title       TEXT NOT NULL DEFAULT '',
    account_id  TEXT NOT NULL DEFAULT ''
);

-- Append-only: who (key name) did what, when, with the values before and after (JSON).
-- Lines are inserted under a transaction-level advisory lock (see postgres_audit.cpp), so they
-- commit in seq order and a cursor never has a line appear behind it.
CREATE TABLE audit_log (
    seq        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         BIGINT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    request_id TEXT,
    subject    TEXT NOT NULL DEFAULT '',
    detail     TEXT NOT NULL DEFAULT '{}'
);

CREATE INDEX audit_log_request ON audit_log (request_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Outgoing e-mail, written in the same transaction as the change that causes it. A sender
-- claims a message by setting lease_until (FOR UPDATE SKIP LOCKED: concurrent senders on
-- several servers take different messages).
CREATE TABLE outbox (
    seq             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    request_seq     BIGINT REFERENCES requests (seq) ON DELETE SET NULL,
    kind            TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    state           TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    lease_until     BIGINT,
    sent_at         BIGINT,
    last_error      TEXT NOT NULL DEFAULT ''
);

CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_request ON outbox (request_seq);

-- Photos uploaded with requests (the files are the media storage's).
CREATE TABLE request_media (
    name         TEXT PRIMARY KEY,
    request_seq  BIGINT NOT NULL REFERENCES requests (seq) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    size         BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);

CREATE INDEX request_media_request ON request_media (request_seq, position);

-- Per-key usage per day, added in the background.
CREATE TABLE api_key_usage (
    key_name     TEXT NOT NULL,
    day          TEXT NOT NULL,  -- YYYY-MM-DD, UTC
    created      BIGINT NOT NULL DEFAULT 0,
    rejected     BIGINT NOT NULL DEFAULT 0,
    rate_limited BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (key_name, day)
);

-- One row per (API key, Idempotency-Key). status 0: the first request is still being handled.
CREATE TABLE idempotency_keys (
    api_key_name    TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    fingerprint     TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    status          INTEGER NOT NULL DEFAULT 0,
    content_type    TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (api_key_name, idempotency_key)
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);
