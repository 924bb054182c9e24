-- tekser store, version 100: the commission's decisions, as the portal records them.
--
-- Order No. 285 blocks a supplier automatically (p.16) but leaves its deregistration to the
-- commission's protocol (p.19), and reopens a deregistered supplier only on the commission's
-- positive decision (p.20, last paragraph) — a year after a deregistration on ground p.15
-- sub-item 5 at the earliest. The gateway cannot see those decisions in any state system, so the
-- portal records them (POST /v1/suppliers/{id}/commission-decisions) and the trigger state
-- honours them: a deregistered supplier is never unblocked automatically until its
-- re-registration is recorded here. Append-only: a decision is a document, never rewritten.

CREATE TABLE commission_decisions (
  id              bigserial PRIMARY KEY,
  supplier_id     text NOT NULL REFERENCES suppliers (id),
  kind            text NOT NULL CHECK (kind IN ('deregistration', 'reregistration')),
  ground          text CHECK (ground IN ('p15.1', 'p15.2', 'p15.3', 'p15.4', 'p15.5')),
  decided_on      date NOT NULL,
  protocol_number text NOT NULL CHECK (length(protocol_number) BETWEEN 1 AND 100),
  recorded_by     text NOT NULL CHECK (recorded_by <> ''),  -- the API client
  recorded_at     timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'deregistration') = (ground IS NOT NULL))
);
CREATE INDEX commission_decisions_by_supplier ON commission_decisions (supplier_id, id);

CREATE FUNCTION tekser_commission_decisions_append_only() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'commission_decisions is append-only: % refused', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER commission_decisions_append_only
  BEFORE UPDATE OR DELETE ON commission_decisions
  FOR EACH ROW EXECUTE FUNCTION tekser_commission_decisions_append_only();
