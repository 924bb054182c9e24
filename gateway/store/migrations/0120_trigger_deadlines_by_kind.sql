-- A trigger carries only a deadline the law gives for its kind (issue 15, item 10): p.16 names
-- none for a block, nothing does for an unblock or a warning; the 2022 rules' one working day is
-- a deregistration's under rules_2022 only; p.13's review has two steps. So `deadline` (the
-- first to fall due) may be absent, and `review` is a kind.
ALTER TABLE triggers ALTER COLUMN deadline DROP NOT NULL;
ALTER TABLE triggers ALTER COLUMN deadline_estimate DROP NOT NULL;
ALTER TABLE triggers DROP CONSTRAINT triggers_kind_check;
ALTER TABLE triggers ADD CONSTRAINT triggers_kind_check
  CHECK (kind IN ('block', 'deregister', 'unblock', 'warning', 'review'));
ALTER TABLE triggers ADD CONSTRAINT triggers_deadline_estimate_with_deadline
  CHECK ((deadline IS NULL) = (deadline_estimate IS NULL));
