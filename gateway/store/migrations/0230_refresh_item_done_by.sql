-- tekser store, version 230: which replica finished each refresh item (issue 17, item 8).
--
-- Replicas share a run through the items' leases, and a finished item's lease owner is cleared.
-- Keeping who finished it lets an operator see how the run was shared, and the replica tests
-- prove that every replica took part and that no item was finished twice. NULL: an item not
-- finished, or finished before this version.
ALTER TABLE refresh_items ADD COLUMN done_by text;
