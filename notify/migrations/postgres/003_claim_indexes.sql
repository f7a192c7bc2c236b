-- The claim reads two ranges: queued rows by when they are due, and
-- expired leases by when they expired; each index ends at the claim's
-- batch instead of sorting every due row.
CREATE INDEX notify_deliveries_queued ON notify_deliveries (channel, next_attempt_at, id) WHERE state = 'queued';
CREATE INDEX notify_deliveries_leased ON notify_deliveries (channel, lease_until, id) WHERE state = 'sending';
