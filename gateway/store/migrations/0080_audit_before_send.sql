-- tekser store, version 80: the audit row is written before the request leaves, and completed
-- when its answer arrives.
--
-- Until now an exchange was audited in the transaction that recorded its answer, so a gateway
-- killed (or a database lost) between the request and that commit left an exchange at the state
-- system with no audit row at all. Now the row is committed with outcome 'pending' before the
-- request is sent (who asked, why, about whom, which system and message id), and completed with
-- the reply's digest, the outcome and the time it finished. A row still 'pending' long after
-- asked_at is an exchange whose end the gateway never saw (killed, or the database away): the
-- request may have reached the system, so it stays on record.
--
-- The table stays append-only for what matters: the one UPDATE allowed is that completion, once,
-- of a pending row, and it may touch outcome, reply_sha256 and finished_at only — who asked,
-- about whom, why and when can never be rewritten.

ALTER TABLE audit_log
  ADD COLUMN reply_sha256 text CHECK (reply_sha256 ~ '^[0-9a-f]{64}$'),  -- NULL: no reply
  ADD COLUMN finished_at  timestamptz;  -- NULL while pending (and on rows from before this)
ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check
  CHECK (outcome IN ('pending', 'data', 'no_data', 'unavailable', 'refused', 'malformed'));
ALTER TABLE audit_log ADD CONSTRAINT audit_log_pending_has_no_end
  CHECK (outcome <> 'pending' OR (reply_sha256 IS NULL AND finished_at IS NULL));

-- The pending rows, for an operator (and a test) to find the exchanges never completed.
CREATE INDEX audit_log_pending ON audit_log (asked_at) WHERE outcome = 'pending';

CREATE OR REPLACE FUNCTION tekser_audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.outcome = 'pending' AND NEW.outcome <> 'pending'
       AND NEW.id = OLD.id AND NEW.asked_at = OLD.asked_at AND NEW.recorded_at = OLD.recorded_at
       AND NEW.client = OLD.client AND NEW.subject IS NOT DISTINCT FROM OLD.subject
       AND NEW.related_subject IS NOT DISTINCT FROM OLD.related_subject
       AND NEW.system = OLD.system AND NEW.service_id = OLD.service_id
       AND NEW.message_id = OLD.message_id AND NEW.purpose = OLD.purpose
       AND NEW.consent_sha256 IS NOT DISTINCT FROM OLD.consent_sha256 THEN
      RETURN NEW;  -- the completion of a pending exchange
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'the audit of state-system access is never rewritten; a pending row is only completed';
END
$$;
