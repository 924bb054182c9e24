-- tekser store, version 10: the weekly refresh as a work queue, the trigger state of each
-- supplier, and the transactional outbox of triggers for the portal.
--
-- Several gateway replicas share these tables: work is leased with FOR UPDATE SKIP LOCKED and a
-- lease that expires, so a replica killed mid-run loses nothing and another takes over.

-- One refresh run: every watched supplier re-verified once.
CREATE TABLE refresh_runs (
  id            bigserial PRIMARY KEY,
  requested_by  text NOT NULL CHECK (requested_by IN ('schedule', 'api', 'cli')),
  -- The schedule slot a scheduled run belongs to: replicas racing for one slot create one run.
  scheduled_for timestamptz UNIQUE,
  status        text NOT NULL CHECK (status IN ('running', 'done', 'cancelled')),
  rule_set      text NOT NULL,
  total         integer NOT NULL CHECK (total >= 0),
  created_at    timestamptz NOT NULL,
  finished_at   timestamptz,
  -- Whole-register sources mirrored once for the run: {"goszakup": {"outcome", "cause",
  -- "message_id", "rows", "reply_sha256", "retrieved_at_ms"}}.
  mirrors       jsonb NOT NULL DEFAULT '{}'::jsonb,
  CHECK ((status = 'running') = (finished_at IS NULL))
);
-- At most one run at a time.
CREATE UNIQUE INDEX refresh_runs_one_running ON refresh_runs ((true)) WHERE status = 'running';

CREATE TABLE refresh_items (
  run_id      bigint NOT NULL REFERENCES refresh_runs (id) ON DELETE CASCADE,
  supplier_id text NOT NULL,
  state       text NOT NULL CHECK (state IN ('pending', 'leased', 'done', 'failed')),
  attempts    integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  lease_owner text,
  lease_until timestamptz,
  finished_at timestamptz,
  last_error  text,
  -- The outcome of each system for this supplier in this run: {"gbd_ul": "data", ...}.
  outcomes    jsonb NOT NULL DEFAULT '{}'::jsonb,
  triggers    integer NOT NULL DEFAULT 0 CHECK (triggers >= 0),
  PRIMARY KEY (run_id, supplier_id),
  CHECK ((state = 'leased') = (lease_until IS NOT NULL))
);
CREATE INDEX refresh_items_open ON refresh_items (run_id, supplier_id)
  WHERE state IN ('pending', 'leased');
CREATE INDEX refresh_items_finished ON refresh_items (run_id, finished_at)
  WHERE finished_at IS NOT NULL;

-- The goszakup register as mirrored for a run, one row per listed subject (active bans only
-- are decided by the mapping; every entry is kept as the register gave it).
CREATE TABLE register_mirror_entries (
  run_id  bigint NOT NULL REFERENCES refresh_runs (id) ON DELETE CASCADE,
  system  text NOT NULL,
  subject text NOT NULL CHECK (subject ~ '^[0-9]{12}$'),
  entries jsonb NOT NULL,  -- the register's items for this subject
  PRIMARY KEY (run_id, system, subject)
);

-- What has been decided for each supplier (gateway/triggers State) and the last sequence
-- number given to its triggers: triggers of one supplier are numbered and delivered in order.
CREATE TABLE supplier_trigger_state (
  supplier_id   text PRIMARY KEY REFERENCES suppliers (id) ON DELETE CASCADE,
  state         jsonb NOT NULL,
  last_sequence bigint NOT NULL DEFAULT 0 CHECK (last_sequence >= 0),
  updated_at    timestamptz NOT NULL
);

-- The outbox. A trigger row is written in the same transaction as the facts that caused it.
CREATE TABLE triggers (
  id                uuid PRIMARY KEY,  -- also the Idempotency-Key of every delivery attempt
  cursor            bigserial UNIQUE,  -- order of the pull API (GET /v1/triggers?after=)
  supplier_id       text NOT NULL,
  sequence          bigint NOT NULL CHECK (sequence > 0),
  kind              text NOT NULL CHECK (kind IN ('block', 'deregister', 'unblock', 'warning')),
  body              text NOT NULL,  -- the JSON document delivered, byte for byte (it is signed)
  rule_set          text NOT NULL,
  run_id            bigint REFERENCES refresh_runs (id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL,
  data_received_at  timestamptz NOT NULL,
  deadline          timestamptz NOT NULL,
  deadline_estimate boolean NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts          integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  next_attempt_at   timestamptz NOT NULL,
  lease_owner       text,
  lease_until       timestamptz,
  last_error        text,
  last_status       integer,
  delivered_at      timestamptz,
  UNIQUE (supplier_id, sequence)
);
CREATE INDEX triggers_due ON triggers (next_attempt_at, cursor) WHERE status = 'pending';
CREATE INDEX triggers_supplier ON triggers (supplier_id, sequence);
