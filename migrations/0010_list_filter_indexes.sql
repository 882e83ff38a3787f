-- Lists whose filters the index walked does not cover: ?service_code=A,B (two or more codes)
-- or a status with codes read the page in time order from the (state, requested_at) or
-- (state, status, requested_at) index, and looked up each entry's row only to test its
-- service code or status: about 2,700 row lookups for a 200-result second page of three codes
-- out of twenty. With those columns in the index the test is made on the index entry, and
-- only the rows of the page are read. `seq` (the rowid) is named before them so that the
-- index order stays (time, seq), the order of the lists: no sort.
DROP INDEX requests_state_requested;
CREATE INDEX requests_state_requested
    ON requests (state, requested_at, seq, service_code, status);
DROP INDEX requests_state_status_requested;
CREATE INDEX requests_state_status_requested
    ON requests (state, status, requested_at, seq, service_code);
