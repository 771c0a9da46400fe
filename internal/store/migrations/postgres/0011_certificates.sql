-- Registration certificates (residence/certificate.go): the sealed PDF as
-- issued, and the keyed hash of its verification code (never the code).
CREATE TABLE certificates (
    id              text PRIMARY KEY CHECK (id <> ''),
    code_hash       bytea NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    registration_id text NOT NULL REFERENCES registrations (id),
    iin             text NOT NULL REFERENCES persons (iin),
    issued_at       timestamptz NOT NULL,
    pdf             bytea NOT NULL CHECK (length(pdf) > 0),
    signature       bytea NOT NULL CHECK (length(signature) > 0)
);
CREATE INDEX certificates_iin_idx ON certificates (iin, issued_at);
