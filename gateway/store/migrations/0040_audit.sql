-- tekser store, version 40: the audit of every access to a state system — who asked, about whom,
-- when, why (purpose and consent reference) and what came of it. One row per exchange, written in
-- the transaction that writes the exchange's message_log row (message_id is the join key).
--
-- Append-only: a trigger refuses UPDATE, DELETE and TRUNCATE for every role, the gateway's own
-- included, so that no code path (nor an injected statement) can rewrite who looked at whom.
-- Only the owner of the table can take the triggers away (DDL, itself visible in the server's
-- log); a deployment that wants even that separated makes another role the owner.
--
-- The one place that keeps the subject's BIN/IIN in full next to who asked: ordinary logs mask
-- it. The consent reference is a SHA-256 of the KDP token, never the token.

CREATE TABLE audit_log (
  id              bigserial PRIMARY KEY,
  asked_at        timestamptz NOT NULL,  -- when the request went to the state system
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  client          text NOT NULL CHECK (client <> ''),  -- API client id, refresh-run:<id>, ...
  subject         text CHECK (subject ~ '^[0-9]{12}$'),  -- NULL: a whole register, nobody in particular
  related_subject text CHECK (related_subject ~ '^[0-9]{12}$'),  -- ЕНИС: the representative
  system          text NOT NULL CHECK (system <> ''),
  service_id      text NOT NULL,
  message_id      text NOT NULL,
  purpose         text NOT NULL CHECK (purpose <> '' AND char_length(purpose) <= 200),
  consent_sha256  text CHECK (consent_sha256 ~ '^[0-9a-f]{64}$'),
  outcome         text NOT NULL
                  CHECK (outcome IN ('data', 'no_data', 'unavailable', 'refused', 'malformed'))
);
-- The query's filters, each with the cursor (id) so that a page is an index range.
CREATE INDEX audit_log_subject ON audit_log (subject, id);
CREATE INDEX audit_log_related_subject ON audit_log (related_subject, id)
  WHERE related_subject IS NOT NULL;
CREATE INDEX audit_log_client ON audit_log (client, id);
CREATE INDEX audit_log_asked_at ON audit_log (asked_at);
CREATE INDEX audit_log_message_id ON audit_log (message_id);

CREATE FUNCTION tekser_audit_log_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'the audit of state-system access is never rewritten';
END
$$;

CREATE TRIGGER audit_log_no_update_or_delete
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION tekser_audit_log_append_only();

CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION tekser_audit_log_append_only();
