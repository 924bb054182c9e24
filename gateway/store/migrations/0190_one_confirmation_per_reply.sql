-- tekser store, version 190: an unchanged fact costs no write of its own (issue 16 item 2).
--
-- A weekly refresh mostly hears again what it heard last week. Until now each unchanged fact was
-- rewritten in facts_current (its provenance and checked_at) and got a row of its own in
-- fact_confirmations: for a supplier's 15 unchanged facts that was 0.59 ms of rewriting and
-- 0.36 ms of confirmations in each verification (auto_explain), the largest part of PostgreSQL's
-- cost per state-system call. Now the reply that confirmed them is kept once, with the names of
-- the facts it gave again, and a current fact takes its provenance from the latest such reply
-- since its row was last written (sql::kCurrentFacts); facts_current is written only when a value
-- is new or changes. What the gateway knew at a moment (known_at) reads the same rows.
CREATE TABLE reply_confirmations (
  id                  bigserial PRIMARY KEY,
  supplier_id         text NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  system              text NOT NULL,
  service_id          text NOT NULL,
  message_id          text NOT NULL,
  reply_message_id    text NOT NULL,
  retrieved_at        timestamptz NOT NULL,
  valid_until         timestamptz NOT NULL,
  reply_sha256        text NOT NULL CHECK (reply_sha256 ~ '^[0-9a-f]{64}$'),
  signature           text NOT NULL CHECK (signature IN ('not_checked', 'absent', 'valid')),
  signer_sha256       text CHECK (signer_sha256 ~ '^[0-9a-f]{64}$'),
  signature_algorithm text,
  confirmed_at        timestamptz NOT NULL,
  -- The facts this reply gave with the value they already had.
  fact_names          text[] NOT NULL CHECK (cardinality(fact_names) > 0),
  CHECK ((signer_sha256 IS NOT NULL) = (signature = 'valid')),
  CHECK (signature_algorithm IS NULL OR signature = 'valid')
);
CREATE INDEX reply_confirmations_by_system
  ON reply_confirmations (supplier_id, system, confirmed_at DESC, id DESC);

-- The confirmations kept so far, one row per reply (the rows of one reply share its provenance
-- and time).
INSERT INTO reply_confirmations (supplier_id, system, service_id, message_id, reply_message_id,
  retrieved_at, valid_until, reply_sha256, signature, signer_sha256, signature_algorithm,
  confirmed_at, fact_names)
SELECT supplier_id, system, service_id, message_id, reply_message_id, retrieved_at, valid_until,
  reply_sha256, signature, signer_sha256, signature_algorithm, confirmed_at,
  array_agg(fact_name ORDER BY fact_name)
FROM fact_confirmations
GROUP BY supplier_id, system, service_id, message_id, reply_message_id, retrieved_at,
  valid_until, reply_sha256, signature, signer_sha256, signature_algorithm, confirmed_at
ORDER BY min(id);

DROP TABLE fact_confirmations;
