-- tekser store, version 200: tekser_ts_to_ms inlined into the statements that call it.
--
-- It was declared IMMUTABLE, but extract() on a timestamptz is STABLE, and PostgreSQL inlines a
-- SQL function only when its body is no more volatile than the function says. So each call ran as
-- a SQL function of its own (its own executor start and end): 45 000 calls in two refreshes of
-- 300 suppliers (auto_explain with nested statements), about 75 per verification, most of them
-- reading the current facts back. Declared STABLE, which is what it is, it is inlined. No index or
-- constraint uses it, so nothing else changes.
CREATE OR REPLACE FUNCTION tekser_ts_to_ms(ts timestamptz) RETURNS bigint
  LANGUAGE sql STABLE STRICT PARALLEL SAFE
  RETURN (extract(epoch FROM ts) * 1000)::bigint;
