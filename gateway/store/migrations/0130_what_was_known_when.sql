-- tekser store, version 130: what the gateway knew at a past moment (GET
-- /v1/suppliers/{id}/eligibility?as_of=DATE judges by the facts known at the end of that day).
--
-- fact_history keeps each change of a fact with the reply that brought it, and source_status only
-- each source's last answer. Without the replies that later confirmed an unchanged value, a fact
-- re-checked every week would look expired a week after it first appeared; without the earlier
-- answers, a day on which a source was down or had no data would be forgotten. Both are kept
-- here, in the verification's transaction. Before this version only the history exists: a fact
-- of then counts as confirmed by the reply that first gave its value, and no answer of a source
-- is on record.

-- Every reply that gave a fact the value it already had (the history has the ones that changed
-- it), with that reply's provenance.
CREATE TABLE fact_confirmations (
  id                  bigserial PRIMARY KEY,
  supplier_id         text NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  system              text NOT NULL,
  fact_name           text NOT NULL,
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
  CHECK ((signer_sha256 IS NOT NULL) = (signature = 'valid')),
  CHECK (signature_algorithm IS NULL OR signature = 'valid')
);
CREATE INDEX fact_confirmations_by_fact
  ON fact_confirmations (supplier_id, system, fact_name, confirmed_at DESC, id DESC);

-- Every answer of a source about a supplier (source_status is the last of them).
CREATE TABLE source_answers (
  id          bigserial PRIMARY KEY,
  supplier_id text NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  system      text NOT NULL CHECK (system <> ''),
  service_id  text NOT NULL,
  outcome     text NOT NULL
              CHECK (outcome IN ('data', 'no_data', 'unavailable', 'refused', 'malformed')),
  cause       text NOT NULL,
  error_code  text,
  message_id  text NOT NULL,
  checked_at  timestamptz NOT NULL
);
CREATE INDEX source_answers_by_system ON source_answers (supplier_id, system, checked_at DESC, id DESC);
