-- tekser store, version 20: the WS-Security signature of the reply each fact came from, and of
-- every exchange in the message log.
--
-- signature: not_checked (a REST register, or the gateway ran with policy ignore), absent (an
-- unsigned reply, accepted under verify_if_present), valid, invalid (only ever in the message
-- log: facts are never read from a reply whose signature fails). signer_sha256 is the SHA-256
-- fingerprint of the signer's certificate. Rows written before this version were not checked.

ALTER TABLE facts_current
  ADD COLUMN signature text NOT NULL DEFAULT 'not_checked'
    CHECK (signature IN ('not_checked', 'absent', 'valid')),
  ADD COLUMN signer_sha256 text CHECK (signer_sha256 ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT facts_current_signer_iff_valid
    CHECK ((signer_sha256 IS NOT NULL) = (signature = 'valid'));

ALTER TABLE fact_history
  ADD COLUMN signature text NOT NULL DEFAULT 'not_checked'
    CHECK (signature IN ('not_checked', 'absent', 'valid')),
  ADD COLUMN signer_sha256 text CHECK (signer_sha256 ~ '^[0-9a-f]{64}$'),
  ADD CONSTRAINT fact_history_signer_iff_valid
    CHECK ((signer_sha256 IS NOT NULL) = (signature = 'valid'));

-- In the log the signer is kept whenever a certificate was found, also when the signature
-- failed: the audit trail says who signed the reply that was refused.
ALTER TABLE message_log
  ADD COLUMN signature text NOT NULL DEFAULT 'not_checked'
    CHECK (signature IN ('not_checked', 'absent', 'valid', 'invalid')),
  ADD COLUMN signer_sha256 text CHECK (signer_sha256 ~ '^[0-9a-f]{64}$');
