-- The tamper-evident event chain. Writers insert events with seq NULL; a
-- single sealer (the row lock on audit_head serialises sealers across nodes)
-- seals the committed ones in id order: seq = head + 1, + 2, ...,
-- hash = SHA-256(prev_hash || canonical encoding of the event), and advances
-- the head in the same transaction. The feed reads sealed events by seq.
ALTER TABLE events ADD COLUMN seq bigint;
ALTER TABLE events ADD COLUMN prev_hash text;
ALTER TABLE events ADD COLUMN hash text;
ALTER TABLE events ADD CONSTRAINT events_sealed_check
    CHECK ((seq IS NULL AND prev_hash IS NULL AND hash IS NULL)
        OR (seq > 0 AND prev_hash IS NOT NULL AND hash IS NOT NULL));
CREATE UNIQUE INDEX events_seq_idx ON events (seq);
CREATE INDEX events_unsealed_idx ON events (id) WHERE seq IS NULL;

CREATE TABLE audit_head (
    id   integer PRIMARY KEY CHECK (id = 1),
    seq  bigint NOT NULL CHECK (seq >= 0),
    hash text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));
