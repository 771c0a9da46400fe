-- The residence register on SQLite: the same tables and invariants as on
-- PostgreSQL. Dates are 'YYYY-MM-DD' text, timestamps fixed-width RFC 3339
-- UTC text with microseconds (so that text order is time order), booleans 0/1,
-- JSON as text.

CREATE TABLE persons (
    iin             TEXT PRIMARY KEY CHECK (length(iin) = 12 AND iin NOT GLOB '*[^0-9]*'),
    last_name       TEXT NOT NULL,
    first_name      TEXT NOT NULL,
    patronymic      TEXT NOT NULL DEFAULT '',
    birth_date      TEXT NOT NULL CHECK (length(birth_date) = 10),
    citizenship     TEXT NOT NULL,
    capacity        TEXT NOT NULL CHECK (capacity IN ('full', 'partial', 'incapable')),
    deceased        INTEGER NOT NULL DEFAULT 0 CHECK (deceased IN (0, 1)),
    phone           TEXT NOT NULL DEFAULT '',
    consular_abroad INTEGER NOT NULL DEFAULT 0 CHECK (consular_abroad IN (0, 1))
) STRICT;

CREATE INDEX persons_phone_idx ON persons (phone) WHERE phone <> '';

CREATE TABLE relations (
    kind     TEXT NOT NULL CHECK (kind IN ('parent', 'guardian')),
    from_iin TEXT NOT NULL REFERENCES persons (iin),
    to_iin   TEXT NOT NULL REFERENCES persons (iin),
    PRIMARY KEY (kind, from_iin, to_iin),
    CHECK (from_iin <> to_iin)
) STRICT, WITHOUT ROWID;
CREATE INDEX relations_from_idx ON relations (from_iin);
CREATE INDEX relations_to_idx ON relations (to_iin);

CREATE TABLE organisations (
    bin  TEXT PRIMARY KEY CHECK (length(bin) = 12 AND bin NOT GLOB '*[^0-9]*'),
    name TEXT NOT NULL
) STRICT;

CREATE TABLE organisation_representatives (
    bin TEXT NOT NULL REFERENCES organisations (bin) ON DELETE CASCADE,
    iin TEXT NOT NULL REFERENCES persons (iin),
    PRIMARY KEY (bin, iin)
) STRICT, WITHOUT ROWID;
CREATE INDEX organisation_representatives_iin_idx ON organisation_representatives (iin);

CREATE TABLE premises (
    rka          TEXT PRIMARY KEY CHECK (rka <> ''),
    region       TEXT NOT NULL,
    district     TEXT NOT NULL DEFAULT '',
    locality     TEXT NOT NULL,
    street       TEXT NOT NULL DEFAULT '',
    building     TEXT NOT NULL,
    unit         TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL CHECK (kind IN ('apartment', 'house', 'dacha', 'dormitory', 'hotel',
                                               'sanatorium', 'care_home', 'other_residential')),
    state_rental INTEGER NOT NULL DEFAULT 0 CHECK (state_rental IN (0, 1)),
    area_m2      REAL NOT NULL DEFAULT 0 CHECK (area_m2 >= 0)
) STRICT;
CREATE INDEX premises_address_idx ON premises (region, locality, street, building, unit);

CREATE TABLE ownerships (
    rka       TEXT NOT NULL REFERENCES premises (rka),
    owner_iin TEXT REFERENCES persons (iin),
    owner_bin TEXT REFERENCES organisations (bin),
    share     REAL NOT NULL CHECK (share > 0 AND share <= 1),
    CHECK ((owner_iin IS NULL) <> (owner_bin IS NULL))
) STRICT;
CREATE UNIQUE INDEX ownerships_person_key ON ownerships (rka, owner_iin) WHERE owner_iin IS NOT NULL;
CREATE UNIQUE INDEX ownerships_organisation_key ON ownerships (rka, owner_bin) WHERE owner_bin IS NOT NULL;
CREATE INDEX ownerships_owner_iin_idx ON ownerships (owner_iin) WHERE owner_iin IS NOT NULL;
CREATE INDEX ownerships_owner_bin_idx ON ownerships (owner_bin) WHERE owner_bin IS NOT NULL;

CREATE TABLE rental_agreements (
    rka         TEXT NOT NULL REFERENCES premises (rka),
    tenant_iin  TEXT NOT NULL REFERENCES persons (iin),
    valid_from  TEXT NOT NULL CHECK (length(valid_from) = 10),
    valid_until TEXT NOT NULL CHECK (length(valid_until) = 10),
    members     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(members) AND json_type(members) = 'array'),
    PRIMARY KEY (rka, tenant_iin, valid_from),
    CHECK (valid_until >= valid_from)
) STRICT, WITHOUT ROWID;

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
                                                    'awaiting_consent', 'registered', 'expired', 'deregistered')),
    decision        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(decision)),
    registration_id TEXT REFERENCES registrations (id) DEFERRABLE INITIALLY DEFERRED,
    idempotency_key TEXT,
    created_at      TEXT NOT NULL,
    decided_at      TEXT,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX applications_idempotency_key ON applications (applicant_iin, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX applications_applicant_idx ON applications (applicant_iin, created_at);
CREATE INDEX applications_subject_idx ON applications (subject_iin, created_at);

CREATE TABLE registrations (
    id             TEXT PRIMARY KEY CHECK (id <> ''),
    iin            TEXT NOT NULL REFERENCES persons (iin),
    rka            TEXT NOT NULL REFERENCES premises (rka),
    kind           TEXT NOT NULL CHECK (kind IN ('permanent', 'temporary')),
    since          TEXT NOT NULL CHECK (length(since) = 10),
    until          TEXT CHECK (until IS NULL OR length(until) = 10),
    status         TEXT NOT NULL CHECK (status IN ('active', 'ended')),
    ended_on       TEXT,
    end_reason     TEXT CHECK (end_reason IN ('moved', 'replaced', 'deregistered_by_owner', 'emigrated',
                                              'deceased', 'expired', 'court')),
    application_id TEXT REFERENCES applications (id),
    imported       INTEGER NOT NULL DEFAULT 0 CHECK (imported IN (0, 1)),
    CHECK (imported OR application_id IS NOT NULL),
    CHECK (status = 'ended' OR (ended_on IS NULL AND end_reason IS NULL)),
    CHECK (until IS NULL OR until >= since)
) STRICT;
-- At most one active permanent and one active temporary registration per person.
CREATE UNIQUE INDEX registrations_one_active ON registrations (iin, kind) WHERE status = 'active';
-- The natural key of registrations loaded from the national registry.
CREATE UNIQUE INDEX registrations_imported_key ON registrations (iin, rka, kind, since) WHERE imported;
CREATE INDEX registrations_iin_idx ON registrations (iin, since);
CREATE INDEX registrations_residents_idx ON registrations (rka) WHERE status = 'active';
CREATE INDEX registrations_application_idx ON registrations (application_id);

CREATE TABLE consent_tasks (
    id             TEXT PRIMARY KEY CHECK (id <> ''),
    application_id TEXT NOT NULL REFERENCES applications (id),
    owner_iin      TEXT REFERENCES persons (iin),
    owner_bin      TEXT REFERENCES organisations (bin),
    channel        TEXT NOT NULL CHECK (channel IN ('sms', 'eds', 'petition')),
    status         TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'declined', 'expired', 'locked', 'cancelled')),
    code_hash      BLOB,
    attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at     TEXT NOT NULL,
    expires_at     TEXT NOT NULL,
    answered_at    TEXT,
    answered_by    TEXT NOT NULL DEFAULT '',
    CHECK ((owner_iin IS NULL) <> (owner_bin IS NULL))
) STRICT;
CREATE INDEX consent_tasks_application_idx ON consent_tasks (application_id, created_at);
CREATE INDEX consent_tasks_pending_iin_idx ON consent_tasks (owner_iin, created_at) WHERE status = 'pending';
CREATE INDEX consent_tasks_pending_bin_idx ON consent_tasks (owner_bin, created_at) WHERE status = 'pending';

CREATE TABLE otps (
    id         TEXT PRIMARY KEY CHECK (id <> ''),
    iin        TEXT NOT NULL REFERENCES persons (iin),
    purpose    TEXT NOT NULL CHECK (purpose IN ('login', 'sign')),
    code_hash  BLOB NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT,
    locked     INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1))
) STRICT;
CREATE INDEX otps_iin_idx ON otps (iin, purpose, created_at);
CREATE INDEX otps_iin_created_idx ON otps (iin, created_at);

CREATE TABLE sms (
    id             TEXT PRIMARY KEY CHECK (id <> ''),
    to_phone       TEXT NOT NULL,
    from_phone     TEXT NOT NULL,
    text           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
    recipient_iin  TEXT NOT NULL DEFAULT '',
    application_id TEXT NOT NULL DEFAULT '',
    provider_id    TEXT,
    attempts       INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error     TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX sms_created_idx ON sms (created_at, id);
CREATE UNIQUE INDEX sms_provider_key ON sms (provider_id) WHERE provider_id IS NOT NULL;

-- Events are append-only; AUTOINCREMENT never reuses an ID, and the single
-- writer connection assigns them in commit order.
CREATE TABLE events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    type            TEXT NOT NULL CHECK (type <> ''),
    at              TEXT NOT NULL,
    person_iin      TEXT NOT NULL DEFAULT '',
    actor_iin       TEXT NOT NULL DEFAULT '',
    actor_role      TEXT NOT NULL DEFAULT '',
    rka             TEXT NOT NULL DEFAULT '',
    application_id  TEXT NOT NULL DEFAULT '',
    registration_id TEXT NOT NULL DEFAULT '',
    message         TEXT CHECK (message IS NULL OR json_valid(message)),
    data            TEXT CHECK (data IS NULL OR json_valid(data))
) STRICT;
CREATE INDEX events_person_idx ON events (person_iin, id) WHERE person_iin <> '';

CREATE TABLE tokens (
    id         TEXT PRIMARY KEY CHECK (id <> ''),
    name       TEXT NOT NULL,
    role       TEXT NOT NULL CHECK (role IN ('citizen', 'operator', 'agency', 'admin', 'system')),
    hash       BLOB NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
