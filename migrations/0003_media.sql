-- Photos uploaded with requests. The file is kept by the media storage under `name`, a random
-- name with the extension of the image type (never the client's file name); this row is what
-- makes it reachable, and the request's moderation state decides who may fetch it.
CREATE TABLE request_media (
    name         TEXT PRIMARY KEY NOT NULL,
    request_seq  INTEGER NOT NULL REFERENCES requests (seq) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    created_at   INTEGER NOT NULL
) STRICT;

CREATE INDEX request_media_request ON request_media (request_seq, position);
