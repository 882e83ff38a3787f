-- The changeset poll (updated_after/updated_before, listed in request-time order) reads the
-- keys of its matches from this index and sorts them in memory (request_query.cpp). With
-- requested_at in the index entry, no row is read but the page's: before, every request
-- changed in the window was read whole and sorted whole (about 6,300 rows for a day at
-- 1,000,000 requests, for a 1,000-result page). `seq` is named before it so that the index
-- order stays (updated_at, seq), the order of lists by update time: no sort.
DROP INDEX requests_state_updated;
CREATE INDEX requests_state_updated ON requests (state, updated_at, seq, requested_at);
