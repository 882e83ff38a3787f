-- The initial schema: catalogue, requests (with the submitter's personal data kept apart),
-- batch tokens, API keys. Timestamps are INTEGER seconds since the Unix epoch, UTC.

CREATE TABLE services (
    code        TEXT PRIMARY KEY NOT NULL,
    type        TEXT NOT NULL CHECK (type IN ('realtime', 'batch', 'blackbox')),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
) STRICT;

CREATE TABLE service_translations (
    service_code TEXT NOT NULL REFERENCES services (code) ON DELETE CASCADE,
    locale       TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    keywords     TEXT NOT NULL DEFAULT '',
    group_name   TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_code, locale)
) STRICT;

-- Localized attribute texts are JSON objects {"fi": "...", "en": "..."}.
CREATE TABLE service_attributes (
    service_code         TEXT NOT NULL REFERENCES services (code) ON DELETE CASCADE,
    code                 TEXT NOT NULL,
    variable             INTEGER NOT NULL DEFAULT 1,
    datatype             TEXT NOT NULL CHECK (datatype IN ('string', 'number', 'datetime', 'text',
                                                           'singlevaluelist', 'multivaluelist')),
    required             INTEGER NOT NULL DEFAULT 0,
    datatype_description TEXT NOT NULL DEFAULT '{}',
    sort_order           INTEGER NOT NULL,
    description          TEXT NOT NULL DEFAULT '{}',
    automated            TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (service_code, code)
) STRICT;

CREATE TABLE service_attribute_values (
    service_code   TEXT NOT NULL,
    attribute_code TEXT NOT NULL,
    key            TEXT NOT NULL,
    sort_order     INTEGER NOT NULL,
    name           TEXT NOT NULL DEFAULT '{}',
    PRIMARY KEY (service_code, attribute_code, key),
    FOREIGN KEY (service_code, attribute_code)
        REFERENCES service_attributes (service_code, code) ON DELETE CASCADE
) STRICT;

-- Bumped by every catalogue change so that servers can refresh their cached copy.
CREATE TABLE catalogue_revision (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    revision INTEGER NOT NULL
) STRICT;
INSERT INTO catalogue_revision (id, revision) VALUES (1, 0);

CREATE TABLE requests (
    seq                 INTEGER PRIMARY KEY,
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
    requested_at        INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL,
    expected_at         INTEGER,
    address             TEXT NOT NULL DEFAULT '',
    address_id          TEXT NOT NULL DEFAULT '',
    zipcode             TEXT NOT NULL DEFAULT '',
    lat                 REAL,
    long                REAL,
    service_object_type TEXT NOT NULL DEFAULT '',
    service_object_id   TEXT NOT NULL DEFAULT '',
    media_urls          TEXT NOT NULL DEFAULT '[]',
    attributes          TEXT NOT NULL DEFAULT '[]',
    can_be_published    INTEGER NOT NULL DEFAULT 0,
    reject_reason       TEXT NOT NULL DEFAULT '',
    api_key_name        TEXT NOT NULL DEFAULT '',
    token               TEXT UNIQUE,
    version             INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE INDEX requests_state_requested ON requests (state, requested_at);
CREATE INDEX requests_state_updated ON requests (state, updated_at);
CREATE INDEX requests_state_service_requested ON requests (state, service_code, requested_at);
CREATE INDEX requests_service_object ON requests (service_object_type, service_object_id);

-- Personal data of the submitter, apart from the public record.
CREATE TABLE request_submitters (
    request_seq INTEGER PRIMARY KEY REFERENCES requests (seq) ON DELETE CASCADE,
    email       TEXT NOT NULL DEFAULT '',
    first_name  TEXT NOT NULL DEFAULT '',
    last_name   TEXT NOT NULL DEFAULT '',
    phone       TEXT NOT NULL DEFAULT '',
    device_id   TEXT NOT NULL DEFAULT '',
    account_id  TEXT NOT NULL DEFAULT ''
) STRICT;

-- Spatial index for radius and bounding-box search; id = requests.seq.
CREATE VIRTUAL TABLE requests_geo USING rtree (id, min_lat, max_lat, min_long, max_long);

CREATE TABLE api_keys (
    name        TEXT PRIMARY KEY NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('client', 'staff', 'admin')),
    secret_hash TEXT NOT NULL UNIQUE,
    prefix      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER,
    revoked_at  INTEGER
) STRICT;
