-- Registration certificates (residence/certificate.go): the sealed PDF as
-- issued, and the keyed hash of its verification code (never the code).
CREATE TABLE certificates (
    id              TEXT PRIMARY KEY CHECK (id <> ''),
    code_hash       BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    registration_id TEXT NOT NULL REFERENCES registrations (id),
    iin             TEXT NOT NULL REFERENCES persons (iin),
    issued_at       TEXT NOT NULL,
    pdf             BLOB NOT NULL CHECK (length(pdf) > 0),
    signature       BLOB NOT NULL CHECK (length(signature) > 0)
) STRICT;
CREATE INDEX certificates_iin_idx ON certificates (iin, issued_at);
