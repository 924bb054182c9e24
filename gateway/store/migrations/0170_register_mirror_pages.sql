-- tekser store, version 170: a register mirror is written page by page as it arrives.
--
-- The refresh mirrors the goszakup РНУ once per run. The gateway used to hold the whole register
-- in memory (a map of JSON rows, then one JSON document of all of them) before one INSERT, so its
-- peak memory grew with the register: 51 MB at a population of 100 000, 88 MB at 1 000 000
-- (bench/README; issue 16 item 6). Now each page is written here as soon as it is read, under the
-- fetch's message id, and the finished fetch is folded into register_mirror_entries in one
-- statement; the gateway holds one page at a time.
--
-- UNLOGGED: the rows of a fetch in flight are worth nothing after a crash (the run fetches the
-- register again), so they are not WAL-logged and not sent to standbys.
CREATE UNLOGGED TABLE register_mirror_pages (
  message_id text NOT NULL,    -- the fetch: its audit row's message id
  position   bigint NOT NULL,  -- the row's place in the register, from 0
  run_id     bigint NOT NULL,  -- the run it is fetched for (a dead fetch's rows go with its run)
  subject    text NOT NULL,    -- the row's BIN/IIN as the register gives it
  entry      jsonb NOT NULL,   -- the row as received
  PRIMARY KEY (message_id, position)
);
CREATE INDEX register_mirror_pages_by_run ON register_mirror_pages (run_id);
