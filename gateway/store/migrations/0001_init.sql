-- tekser store, version 1: watched suppliers, their facts (current and history), the status of
-- each source per supplier and the log of every exchange with a state system.
--
-- Applied by Store::migrate() inside a transaction, under an advisory lock, and recorded in
-- schema_migrations. Objects are created in the first schema of the search_path.
-- Timestamps are timestamptz with millisecond values: the application passes and reads epoch
-- milliseconds through the two conversion functions below, which are exact (integer arithmetic,
-- no floating point).

CREATE FUNCTION tekser_ms_to_ts(ms bigint) RETURNS timestamptz
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  RETURN to_timestamp(ms / 1000) + (ms % 1000) * interval '1 millisecond';

CREATE FUNCTION tekser_ts_to_ms(ts timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN (extract(epoch FROM ts) * 1000)::bigint;

CREATE TABLE suppliers (
  id                 text PRIMARY KEY CHECK (id ~ '^[0-9]{12}$'),  -- BIN or IIN
  subject_kind       text NOT NULL CHECK (subject_kind IN ('legal_entity', 'individual')),
  categories         text[] NOT NULL CHECK (
                       cardinality(categories) > 0
                       AND array_position(categories, NULL) IS NULL
                       AND categories <@ ARRAY['technical_aids', 'sanatorium', 'sign_language',
                                               'personal_assistant', 'invataxi']),
  consent_kdp_token  text,
  consent_public_key text,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  last_verified_at   timestamptz,
  CHECK ((consent_kdp_token IS NULL) = (consent_public_key IS NULL))
);

-- The value each source last gave for each fact of a supplier, with the provenance of the reply
-- that last confirmed it.
CREATE TABLE facts_current (
  supplier_id      text NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  system           text NOT NULL CHECK (system <> ''),
  fact_name        text NOT NULL CHECK (fact_name <> ''),
  value            jsonb NOT NULL,
  service_id       text NOT NULL,
  message_id       text NOT NULL,
  reply_message_id text NOT NULL,
  retrieved_at     timestamptz NOT NULL,
  valid_until      timestamptz NOT NULL,
  reply_sha256     text NOT NULL CHECK (reply_sha256 ~ '^[0-9a-f]{64}$'),
  first_seen_at    timestamptz NOT NULL,  -- when this value was first observed
  checked_at       timestamptz NOT NULL,  -- when a reply last confirmed it
  PRIMARY KEY (supplier_id, system, fact_name)
);

-- Every first observation (old_value NULL) and every change of a fact, with the provenance of
-- the reply that carried the new value.
CREATE TABLE fact_history (
  id               bigserial PRIMARY KEY,
  supplier_id      text NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  system           text NOT NULL,
  fact_name        text NOT NULL,
  old_value        jsonb,
  new_value        jsonb NOT NULL,
  service_id       text NOT NULL,
  message_id       text NOT NULL,
  reply_message_id text NOT NULL,
  retrieved_at     timestamptz NOT NULL,
  valid_until      timestamptz NOT NULL,
  reply_sha256     text NOT NULL CHECK (reply_sha256 ~ '^[0-9a-f]{64}$'),
  changed_at       timestamptz NOT NULL
);
CREATE INDEX fact_history_supplier_changed ON fact_history (supplier_id, changed_at DESC, id DESC);

-- The last answer of each source about each supplier.
CREATE TABLE source_status (
  supplier_id  text NOT NULL REFERENCES suppliers (id) ON DELETE CASCADE,
  system       text NOT NULL CHECK (system <> ''),
  service_id   text NOT NULL,
  outcome      text NOT NULL
               CHECK (outcome IN ('data', 'no_data', 'unavailable', 'refused', 'malformed')),
  cause        text NOT NULL,
  error_code   text,
  message_id   text NOT NULL,
  checked_at   timestamptz NOT NULL,
  last_data_at timestamptz,  -- kept when a later answer is not data
  PRIMARY KEY (supplier_id, system)
);

-- Every request to and reply from a state system. No foreign key: the log is an audit trail and
-- outlives the supplier row.
CREATE TABLE message_log (
  id            bigserial PRIMARY KEY,
  message_id    text NOT NULL,
  supplier_id   text NOT NULL,
  system        text NOT NULL,
  service_id    text NOT NULL,
  endpoint      text NOT NULL,
  request_body  text NOT NULL,
  response_body text,
  http_status   integer CHECK (http_status BETWEEN 100 AND 599),
  outcome       text NOT NULL
                CHECK (outcome IN ('data', 'no_data', 'unavailable', 'refused', 'malformed')),
  cause         text NOT NULL,
  reply_sha256  text CHECK (reply_sha256 ~ '^[0-9a-f]{64}$'),  -- NULL when there was no reply
  started_at    timestamptz NOT NULL,
  duration_ms   integer NOT NULL CHECK (duration_ms >= 0)
);
CREATE INDEX message_log_supplier_started ON message_log (supplier_id, started_at DESC, id DESC);
CREATE INDEX message_log_message_id ON message_log (message_id);
