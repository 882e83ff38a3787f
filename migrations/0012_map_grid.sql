-- Map filters (radius, bbox) read a grid instead of the R*Tree. The R*Tree gave each
-- candidate's id only: every candidate's row was then read to test its state, its time and
-- its exact distance (about three candidates per match, 500 m around a point at 1,000,000
-- requests), and a new request wrote three of its shadow tables. Now each request has the
-- number of the grid cell its point falls in, and one index holds what a map list tests:
-- the cells around a point are read one by one inside the date window, and only the rows of
-- the page are read.
-- A cell is 0.0025° of latitude by 0.005° of longitude (about 280 m square in Helsinki),
-- numbered row by row from (-90°, -180°); src/store/sqlite/request_query.cpp computes the
-- same numbers (map_cell).
ALTER TABLE requests ADD COLUMN cell INTEGER;
UPDATE requests
SET cell = CAST((lat + 90.0) / 0.0025 AS INTEGER) * 72001 + CAST((long + 180.0) / 0.005 AS INTEGER)
WHERE lat IS NOT NULL AND long IS NOT NULL;
CREATE INDEX requests_state_cell
    ON requests (state, cell, requested_at, seq, lat, long, service_code, status)
    WHERE cell IS NOT NULL;
DROP TABLE requests_geo;
