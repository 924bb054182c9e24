-- tekser store, version 70: a refresh item's leases counted apart from its failed attempts.
--
-- Until now `attempts` grew at every lease, so an item whose replica was killed mid-refresh
-- (its lease expired, nothing was recorded) came back with an attempt spent, and after a few
-- crashes one real failure marked it failed. From here on `leases` counts the leases (crashes
-- included) and `attempts` only the failures a worker recorded (release_item): max_attempts
-- bounds the latter alone.
ALTER TABLE refresh_items ADD COLUMN leases integer NOT NULL DEFAULT 0 CHECK (leases >= 0);

-- Items still open: what was counted so far were leases; of failures only the last one is known
-- (last_error), so one at most is carried over. Finished items keep their count.
UPDATE refresh_items
   SET leases = attempts,
       attempts = CASE WHEN state IN ('pending', 'leased')
                       THEN CASE WHEN last_error IS NULL THEN 0 ELSE 1 END
                       ELSE attempts END;
