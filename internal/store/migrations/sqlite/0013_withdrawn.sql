-- Issue 18, item 5: the applicant may withdraw an application while it
-- waits for consent (residence.Service.Withdraw), a final status of its own.
--
-- SQLite cannot change a CHECK constraint in place, so the table is rebuilt.
-- The migration runs in one transaction with foreign keys enforced, where
-- PRAGMA foreign_keys cannot be switched off; instead they are deferred to
-- the commit: dropping the old table counts a violation for each row of
-- registrations and consent_tasks that names an application, and inserting
-- the rows again into the new table under the same name counts each one
-- back, so the commit finds none left (and would fail if a row were lost).
-- The copy is taken first into a plain table, because a rename would make
-- the children follow the old table (ALTER TABLE … RENAME rewrites the
-- references to it).
PRAGMA defer_foreign_keys = ON;

CREATE TEMP TABLE applications_copy AS SELECT * FROM applications;
DROP TABLE applications;

CREATE TABLE applications (
    id              TEXT PRIMARY KEY CHECK (id <> ''),
    action          TEXT NOT NULL CHECK (action IN ('register', 'deregister')),
    kind            TEXT NOT NULL CHECK (kind IN ('permanent', 'temporary')),
    applicant_iin   TEXT NOT NULL REFERENCES persons (iin),
    subject_iin     TEXT NOT NULL REFERENCES persons (iin),
    rka             TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    stay_from       TEXT,
    stay_until      TEXT,
    arrived_on      TEXT,
    channel         TEXT NOT NULL CHECK (channel IN ('portal', 'mobile', 'api', 'psc')),
    signature       TEXT NOT NULL DEFAULT '' CHECK (signature IN ('', 'eds', 'sms_otp', 'psc')),
    signer_iin      TEXT NOT NULL DEFAULT '',
    operator_id     TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL CHECK (status IN ('submitted', 'rejected', 'in_person_required',
                                                    'awaiting_consent', 'registered', 'expired', 'deregistered',
                                                    'withdrawn')),
    decision        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(decision)),
    registration_id TEXT REFERENCES registrations (id) DEFERRABLE INITIALLY DEFERRED,
    idempotency_key TEXT,
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    updated_at      TEXT NOT NULL,
    idempotency_hash BLOB,
    otp_id          TEXT REFERENCES otps (id)
) STRICT;

INSERT INTO applications (id, action, kind, applicant_iin, subject_iin, rka, reason, stay_from, stay_until,
    arrived_on, channel, signature, signer_iin, operator_id, status, decision, registration_id,
    idempotency_key, created_at, decided_at, updated_at, idempotency_hash, otp_id)
SELECT id, action, kind, applicant_iin, subject_iin, rka, reason, stay_from, stay_until,
    arrived_on, channel, signature, signer_iin, operator_id, status, decision, registration_id,
    idempotency_key, created_at, decided_at, updated_at, idempotency_hash, otp_id
FROM applications_copy;
DROP TABLE applications_copy;

CREATE UNIQUE INDEX applications_idempotency_key ON applications (applicant_iin, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX applications_applicant_idx ON applications (applicant_iin, created_at);
CREATE INDEX applications_subject_idx ON applications (subject_iin, created_at);

-- An application's short reference (residence.Reference) is its id's last
-- ten hex digits written in Crockford base32, so an operator finds an
-- application by reference through this index (Reader.ApplicationsByReference).
CREATE INDEX applications_reference_idx ON applications (substr(id, 27));
