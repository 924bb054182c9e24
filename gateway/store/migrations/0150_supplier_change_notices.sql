-- tekser store, version 150: a notice of every change to what a supplier's view shows.
--
-- Each replica keeps the supplier views it has read in memory (GET /v1/suppliers/{id} without a
-- database round trip, issue 16 item 4). A view is the supplier row, its current facts and its
-- sources' last answers; whoever changes one of them — any replica, a migration, an operator in
-- psql — tells every replica here, on the channel tekser_supplier_changed, with the supplier's id
-- as the payload ('*': too many to name, forget them all). PostgreSQL sends a notice when its
-- transaction commits and never for one rolled back, in commit order, once per distinct payload
-- of a transaction. One statement-level trigger per table and event (a trigger with transition
-- tables takes one event): one notice per supplier a statement touched, not one per row.

CREATE FUNCTION tekser_notify_supplier_ids(ids text[]) RETURNS void
  LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(ids) > 1000 THEN
    PERFORM pg_notify('tekser_supplier_changed', '*');
  ELSE
    PERFORM pg_notify('tekser_supplier_changed', id) FROM unnest(ids) AS t(id);
  END IF;
END
$$;

-- Tables keyed by supplier_id.
CREATE FUNCTION tekser_notify_supplier_rows() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tekser_notify_supplier_ids(ARRAY(SELECT DISTINCT supplier_id FROM changed));
  RETURN NULL;
END
$$;

-- The suppliers table itself.
CREATE FUNCTION tekser_notify_suppliers() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tekser_notify_supplier_ids(ARRAY(SELECT DISTINCT id FROM changed));
  RETURN NULL;
END
$$;

CREATE TRIGGER suppliers_notice_insert AFTER INSERT ON suppliers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tekser_notify_suppliers();
CREATE TRIGGER suppliers_notice_update AFTER UPDATE ON suppliers
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tekser_notify_suppliers();
CREATE TRIGGER suppliers_notice_delete AFTER DELETE ON suppliers
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION tekser_notify_suppliers();

CREATE TRIGGER facts_current_notice_insert AFTER INSERT ON facts_current
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION tekser_notify_supplier_rows();
CREATE TRIGGER facts_current_notice_update AFTER UPDATE ON facts_current
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION tekser_notify_supplier_rows();
CREATE TRIGGER facts_current_notice_delete AFTER DELETE ON facts_current
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION tekser_notify_supplier_rows();

CREATE TRIGGER source_status_notice_insert AFTER INSERT ON source_status
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION tekser_notify_supplier_rows();
CREATE TRIGGER source_status_notice_update AFTER UPDATE ON source_status
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION tekser_notify_supplier_rows();
CREATE TRIGGER source_status_notice_delete AFTER DELETE ON source_status
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT
  EXECUTE FUNCTION tekser_notify_supplier_rows();

-- TRUNCATE names no rows: every view is forgotten.
CREATE FUNCTION tekser_notify_all_suppliers() RETURNS trigger
  LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('tekser_supplier_changed', '*');
  RETURN NULL;
END
$$;

CREATE TRIGGER suppliers_notice_truncate AFTER TRUNCATE ON suppliers
  FOR EACH STATEMENT EXECUTE FUNCTION tekser_notify_all_suppliers();
CREATE TRIGGER facts_current_notice_truncate AFTER TRUNCATE ON facts_current
  FOR EACH STATEMENT EXECUTE FUNCTION tekser_notify_all_suppliers();
CREATE TRIGGER source_status_notice_truncate AFTER TRUNCATE ON source_status
  FOR EACH STATEMENT EXECUTE FUNCTION tekser_notify_all_suppliers();
