-- Indexes matched to the public list queries. Each list filters on the moderation state
-- first (only published requests are public) and orders by a time, so the time comes last:
-- a page is then read in index order, and its X-Total-Count is counted from the index alone.

-- ?service_code=X&status=open (the map apps' most common poll) and ?status=open.
CREATE INDEX requests_state_service_status_requested
    ON requests (state, service_code, status, requested_at);
CREATE INDEX requests_state_status_requested ON requests (state, status, requested_at);
