-- The map index gets the submission time as a third dimension, so that a radius or box query
-- inside a date window (by default the last 90 days) prunes by time in the R*Tree itself
-- instead of looking up every request ever made at that spot (with 1,000,000 requests over
-- two years, a 500 m radius had about 2,500 candidates; the window keeps about 500).
-- The time is in thousands of days since 1970 (requested_at / 86400000): in seconds its range
-- would dwarf the other two dimensions' degrees and the tree would cluster by time alone.
-- R*Tree coordinates are 32-bit floats rounded outwards: queries test the window as an
-- overlap here and exactly on requests.requested_at. Rebuilt from the requests table.
DROP TABLE requests_geo;
CREATE VIRTUAL TABLE requests_geo USING rtree (
    id, min_lat, max_lat, min_long, max_long, min_time, max_time
);
INSERT INTO requests_geo (id, min_lat, max_lat, min_long, max_long, min_time, max_time)
    SELECT seq, lat, lat, long, long, requested_at / 86400000.0, requested_at / 86400000.0
    FROM requests WHERE lat IS NOT NULL AND long IS NOT NULL;
