-- tekser store, version 220: the API request that caused an exchange (issue 17, item 6).
--
-- Every API request has an id (the caller's X-Request-Id, the trace id of its traceparent, or one
-- the gateway makes); it is returned in the response, written on the request's log line, and kept
-- here beside each exchange the request caused, so that GET /v1/audit?request_id= finds the SHEP
-- exchanges (and their messageIds) of one portal call. NULL: an exchange no API request caused
-- (the weekly refresh, whose rows name their run as the client), or one recorded before this
-- version.
-- The checks are NOT VALID: every existing row is NULL, and validating would read both logs whole
-- under the lock of ALTER TABLE; new rows are checked all the same.
ALTER TABLE audit_log ADD COLUMN request_id text;
ALTER TABLE audit_log ADD CONSTRAINT audit_log_request_id_text
  CHECK (request_id <> '' AND char_length(request_id) <= 128) NOT VALID;
ALTER TABLE message_log ADD COLUMN request_id text;
ALTER TABLE message_log ADD CONSTRAINT message_log_request_id_text
  CHECK (request_id <> '' AND char_length(request_id) <= 128) NOT VALID;
-- The audit's request_id filter, with the cursor (id) like the others. Completing a row leaves
-- request_id as it is, so the completion stays a HOT update (migration 0210).
CREATE INDEX audit_log_request_id ON audit_log (request_id, id) WHERE request_id IS NOT NULL;

-- The completion of a pending (or interrupted) row may not change its request id either.
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
       AND NEW.consent_sha256 IS NOT DISTINCT FROM OLD.consent_sha256
       AND NEW.request_id IS NOT DISTINCT FROM OLD.request_id THEN
      RETURN NEW;  -- the completion of a pending exchange, or the late answer of an interrupted one
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'the audit of state-system access is never rewritten; a pending row is only completed';
END
$$;
