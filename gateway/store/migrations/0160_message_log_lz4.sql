-- tekser store, version 160: the message log's bodies compressed with lz4.
--
-- Every exchange with a state system is kept with its request and reply (a few kilobytes of XML
-- each). PostgreSQL compresses such values with pglz by default, and in a weekly refresh that
-- compression was most of the cost of writing the log: the statement that logs a verification's
-- exchanges took 1.57 ms with pglz, 0.83 ms with lz4 and 0.68 ms uncompressed (pgbench, four
-- exchanges of 3 and 8 kB; issue 16 item 3). lz4 keeps most of the saving in space. Rows written
-- before keep their pglz values; both are read alike. A server built without lz4 keeps pglz.
DO $$
BEGIN
  ALTER TABLE message_log
    ALTER COLUMN request_body SET COMPRESSION lz4,
    ALTER COLUMN response_body SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: the message log stays with pglz';
END
$$;
