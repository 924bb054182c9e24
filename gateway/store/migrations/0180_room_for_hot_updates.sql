-- tekser store, version 180: room on each page for the rows every verification rewrites.
--
-- A verification updates its supplier's row (last_verified_at), each of its current facts
-- (checked_at, and the value when it changed) and each source's status. None of those columns is
-- indexed, so PostgreSQL can keep the new version on the same page without touching an index (a
-- HOT update), but only if the page has room. Filled to 100 % they had none: in two refreshes of
-- 500 suppliers only 22 % of the facts' updates were HOT (pg_stat_user_tables), the rest a new
-- index entry each and a dead one for vacuum. A verification rewrites all of a supplier's facts
-- at once, so their page needs room for a second copy of each: at fillfactor 70 63 % were HOT,
-- at 50 all of them (the same two refreshes); the old copies are pruned when the page is next
-- read. The table is the current facts only (about 15 rows a supplier), so twice its pages is
-- cheap. Existing pages keep their fill until the table is rewritten.
ALTER TABLE facts_current SET (fillfactor = 50);
ALTER TABLE source_status SET (fillfactor = 70);
ALTER TABLE suppliers SET (fillfactor = 80);
ALTER TABLE supplier_trigger_state SET (fillfactor = 80);
