-- tekser store, version 140: facts re-derived from the replies kept in the message log.
--
-- When a mapping is fixed, the replies already received say more (or otherwise) than was read
-- from them at the time. `tekser-ctl facts re-derive --apply` re-runs today's mappings over them
-- and records the facts that change — without asking any state system again. Each such run is
-- a row here (who started it, over which systems and since when), and each history row it writes
-- names its run: a fact's change is then told apart from one a new reply brought. The history
-- keeps its meaning: changed_at is when the gateway learnt the value (the run), the provenance
-- is the reply it was read from (message id, digest, when it was received).

CREATE TABLE fact_rederivations (
  id            bigserial PRIMARY KEY,
  requested_by  text NOT NULL CHECK (requested_by <> ''),  -- the API client
  systems       text[] NOT NULL CHECK (cardinality(systems) > 0),
  since         timestamptz,  -- only replies received from then on; NULL: the whole log
  started_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz,  -- NULL while it runs, or when it stopped half-way
  replies       integer CHECK (replies >= 0),        -- replies re-read
  facts_changed integer CHECK (facts_changed >= 0)   -- facts recorded
);

ALTER TABLE fact_history
  ADD COLUMN rederivation_id bigint REFERENCES fact_rederivations (id);

-- The message log keeps what was concluded from a reply when it arrived (outcome); a re-derive
-- that reads it otherwise today notes its reading beside it, never over it.
ALTER TABLE message_log
  ADD COLUMN reread_outcome text
    CHECK (reread_outcome IN ('data', 'no_data', 'unavailable', 'refused', 'malformed')),
  ADD COLUMN reread_by bigint REFERENCES fact_rederivations (id),
  ADD CONSTRAINT message_log_reread_by_a_run CHECK ((reread_outcome IS NULL) = (reread_by IS NULL));
