-- tekser store, version 50: the message log read by system with a cursor (GET /v1/exchanges,
-- tekser-ctl exchanges export: the replies of one state system, oldest first, page by page).
CREATE INDEX message_log_system_id ON message_log (system, id);
