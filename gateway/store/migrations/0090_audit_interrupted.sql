-- tekser store, version 90: an exchange whose end the gateway never saw is called `interrupted`.
--
-- Since version 80 a gateway killed (or a database lost) while a request is out leaves that
-- exchange's audit row `pending`, and nothing told an operator whether it was still under way or
-- long dead. Every replica now sweeps the rows still pending well past the longest an exchange
-- can last (audit.interrupted_after_ms) to `interrupted`, stamping finished_at with the time it
-- did so: the request may have reached the system, its answer is unknown, and the row stays.
--
-- A late answer still lands: a row swept too early (a threshold set too short) is completed by
-- its answer like a pending one, so the sweep can never hide an outcome. An interrupted row is
-- never made pending again, and carries no reply digest.

ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_outcome_check
  CHECK (outcome IN ('pending', 'interrupted', 'data', 'no_data', 'unavailable', 'refused',
                     'malformed'));
ALTER TABLE audit_log ADD CONSTRAINT audit_log_interrupted_has_no_reply
  CHECK (outcome <> 'interrupted' OR (reply_sha256 IS NULL AND finished_at IS NOT NULL));

CREATE INDEX audit_log_interrupted ON audit_log (asked_at) WHERE outcome = 'interrupted';

CREATE OR REPLACE FUNCTION tekser_audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF (OLD.outcome = 'pending' AND NEW.outcome <> 'pending'
        OR OLD.outcome = 'interrupted' AND NEW.outcome NOT IN ('pending', 'interrupted'))
       AND NEW.id = OLD.id AND NEW.asked_at = OLD.asked_at AND NEW.recorded_at = OLD.recorded_at
       AND NEW.client = OLD.client AND NEW.subject IS NOT DISTINCT FROM OLD.subject
       AND NEW.related_subject IS NOT DISTINCT FROM OLD.related_subject
       AND NEW.system = OLD.system AND NEW.service_id = OLD.service_id
       AND NEW.message_id = OLD.message_id AND NEW.purpose = OLD.purpose
       AND NEW.consent_sha256 IS NOT DISTINCT FROM OLD.consent_sha256 THEN
      RETURN NEW;  -- the completion of a pending exchange, or the late answer of an interrupted one
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'the audit of state-system access is never rewritten; a pending row is only completed';
END
$$;
