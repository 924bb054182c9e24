-- tekser store, version 210: completing an audit row writes no index entry (issue 16 item 3).
--
-- Every exchange's audit row is opened `pending` before the request leaves and completed with
-- the outcome when the answer is recorded. The partial indexes of migrations 0080 and 0090 name
-- `outcome` in their predicates, so PostgreSQL could never make the completion a HOT update: it
-- wrote a new entry into each of the log's five other indexes, for every exchange, and left as
-- many dead ones for vacuum. The rows not yet finished are listed in a table of their own now,
-- written by the statements that open, complete and interrupt audit rows (audit_store.cpp,
-- sql.hpp), so the completion touches only columns no index reads. Fillfactor leaves room on each
-- page for the completed version of the rows just appended (the old one is pruned when the page
-- is next read).
CREATE TABLE audit_unfinished (
  audit_id    bigint PRIMARY KEY,  -- audit_log.id; audit rows are never deleted
  asked_at    timestamptz NOT NULL,
  interrupted boolean NOT NULL     -- false: pending
);
-- The sweep (AuditStore::mark_interrupted) looks for pending rows older than a bound.
CREATE INDEX audit_unfinished_pending ON audit_unfinished (asked_at) WHERE NOT interrupted;

INSERT INTO audit_unfinished (audit_id, asked_at, interrupted)
SELECT id, asked_at, outcome = 'interrupted' FROM audit_log
WHERE outcome IN ('pending', 'interrupted');

DROP INDEX audit_log_pending;
DROP INDEX audit_log_interrupted;

ALTER TABLE audit_log SET (fillfactor = 70);
