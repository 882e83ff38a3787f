-- The map index carries each request's submission time as an auxiliary column, so that a
-- radius or box query inside a date window (by default the last 90 days) tests the window on
-- the index row and looks up only the requests inside it, not every request ever made at that
-- spot (with 1,000,000 requests over two years, a 500 m radius had about 2,000 candidates and
-- the window keeps about 250). Rebuilt from the requests table.
DROP TABLE requests_geo;
CREATE VIRTUAL TABLE requests_geo USING rtree (
    id, min_lat, max_lat, min_long, max_long, +requested_at
);
INSERT INTO requests_geo (id, min_lat, max_lat, min_long, max_long, requested_at)
    SELECT seq, lat, lat, long, long, requested_at FROM requests
    WHERE lat IS NOT NULL AND long IS NOT NULL;
