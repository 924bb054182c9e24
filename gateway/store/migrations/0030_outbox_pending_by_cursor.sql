-- The dispatcher leases the oldest pending triggers in cursor order. Through the cursor's unique
-- index that scan stepped over every delivered trigger first — ever more of them as the outbox
-- grows (10 ms a lease at 2 000 delivered, on every delivery of a refresh run). A partial index
-- over the pending ones keeps each lease to the handful that are waiting.
CREATE INDEX triggers_pending_cursor ON triggers (cursor) WHERE status = 'pending';
