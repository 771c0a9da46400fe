-- The tamper-evident event chain. Writers insert events with seq NULL; the
-- sealer (SQLite's single writer connection serialises it with every other
-- write) seals them in id order: seq = head + 1, + 2, ...,
-- hash = SHA-256(prev_hash || canonical encoding of the event), and advances
-- the head in the same transaction. The feed reads sealed events by seq.
ALTER TABLE events ADD COLUMN seq INTEGER CHECK (seq IS NULL OR seq > 0);
ALTER TABLE events ADD COLUMN prev_hash TEXT;
ALTER TABLE events ADD COLUMN hash TEXT;
CREATE UNIQUE INDEX events_seq_idx ON events (seq);
CREATE INDEX events_unsealed_idx ON events (id) WHERE seq IS NULL;

CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL CHECK (seq >= 0),
    hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
