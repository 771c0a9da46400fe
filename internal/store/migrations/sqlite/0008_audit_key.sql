-- The event chain is keyed from here on: every link sealed from now is an
-- HMAC-SHA-256 under TIRKEU_AUDIT_KEY, which is never stored in the
-- database (store/chain.go). The links already sealed stay plain SHA-256:
-- keyed_from is the first keyed seq, and epoch_mac, an HMAC under the key
-- of keyed_from and the hash just below it, is written by the Go step of
-- this migration in the same transaction, so that one without the key
-- cannot move the boundary. A chain still empty is stamped by its first
-- sealer.
ALTER TABLE audit_head ADD COLUMN keyed_from INTEGER NOT NULL DEFAULT 1 CHECK (keyed_from >= 1);
UPDATE audit_head SET keyed_from = seq + 1;
ALTER TABLE audit_head ADD COLUMN epoch_mac TEXT;
