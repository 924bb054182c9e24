-- tekser store, version 60: which algorithm signed the reply a fact came from, and every logged
-- exchange — the SignatureMethod URI (RSA-SHA256, or GOST R 34.10-2012 with Streebog as the
-- Kazakh bus signs: urn:ietf:params:xml:ns:pkigovkz:xmlsec:algorithms:...). NULL where no
-- signature was checked or found; on facts only beside a valid signature.

ALTER TABLE facts_current
  ADD COLUMN signature_algorithm text,
  ADD CONSTRAINT facts_current_algorithm_if_valid
    CHECK (signature_algorithm IS NULL OR signature = 'valid');

ALTER TABLE fact_history
  ADD COLUMN signature_algorithm text,
  ADD CONSTRAINT fact_history_algorithm_if_valid
    CHECK (signature_algorithm IS NULL OR signature = 'valid');

ALTER TABLE message_log ADD COLUMN signature_algorithm text;
