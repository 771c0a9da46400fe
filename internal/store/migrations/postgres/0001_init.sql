-- The residence register on PostgreSQL. Invariants that must hold whatever
-- the application code does live here: enum checks, foreign keys, one active
-- registration per person and kind, an application behind every registration
-- that was not imported.

CREATE TABLE persons (
    iin             text PRIMARY KEY CHECK (iin ~ '^[0-9]{12}$'),
    last_name       text NOT NULL,
    first_name      text NOT NULL,
    patronymic      text NOT NULL DEFAULT '',
    birth_date      date NOT NULL,
    citizenship     text NOT NULL,
    capacity        text NOT NULL CHECK (capacity IN ('full', 'partial', 'incapable')),
    deceased        boolean NOT NULL DEFAULT false,
    phone           text NOT NULL DEFAULT '',
    consular_abroad boolean NOT NULL DEFAULT false
);

CREATE INDEX persons_phone_idx ON persons (phone) WHERE phone <> '';

CREATE TABLE relations (
    kind     text NOT NULL CHECK (kind IN ('parent', 'guardian')),
    from_iin text NOT NULL REFERENCES persons (iin),
    to_iin   text NOT NULL REFERENCES persons (iin),
    PRIMARY KEY (kind, from_iin, to_iin),
    CHECK (from_iin <> to_iin)
);
CREATE INDEX relations_from_idx ON relations (from_iin);
CREATE INDEX relations_to_idx ON relations (to_iin);

CREATE TABLE organisations (
    bin  text PRIMARY KEY CHECK (bin ~ '^[0-9]{12}$'),
    name text NOT NULL
);

CREATE TABLE organisation_representatives (
    bin text NOT NULL REFERENCES organisations (bin) ON DELETE CASCADE,
    iin text NOT NULL REFERENCES persons (iin),
    PRIMARY KEY (bin, iin)
);
CREATE INDEX organisation_representatives_iin_idx ON organisation_representatives (iin);

CREATE TABLE premises (
    rka          text PRIMARY KEY CHECK (rka <> ''),
    region       text NOT NULL,
    district     text NOT NULL DEFAULT '',
    locality     text NOT NULL,
    street       text NOT NULL DEFAULT '',
    building     text NOT NULL,
    unit         text NOT NULL DEFAULT '',
    kind         text NOT NULL CHECK (kind IN ('apartment', 'house', 'dacha', 'dormitory', 'hotel',
                                               'sanatorium', 'care_home', 'other_residential')),
    state_rental boolean NOT NULL DEFAULT false,
    area_m2      double precision NOT NULL DEFAULT 0 CHECK (area_m2 >= 0)
);
CREATE INDEX premises_address_idx ON premises (region, locality, street, building, unit);

CREATE TABLE ownerships (
    rka       text NOT NULL REFERENCES premises (rka),
    owner_iin text REFERENCES persons (iin),
    owner_bin text REFERENCES organisations (bin),
    share     double precision NOT NULL CHECK (share > 0 AND share <= 1),
    CHECK ((owner_iin IS NULL) <> (owner_bin IS NULL))
);
CREATE UNIQUE INDEX ownerships_person_key ON ownerships (rka, owner_iin) WHERE owner_iin IS NOT NULL;
CREATE UNIQUE INDEX ownerships_organisation_key ON ownerships (rka, owner_bin) WHERE owner_bin IS NOT NULL;
CREATE INDEX ownerships_owner_iin_idx ON ownerships (owner_iin) WHERE owner_iin IS NOT NULL;
CREATE INDEX ownerships_owner_bin_idx ON ownerships (owner_bin) WHERE owner_bin IS NOT NULL;

CREATE TABLE rental_agreements (
    rka         text NOT NULL REFERENCES premises (rka),
    tenant_iin  text NOT NULL REFERENCES persons (iin),
    valid_from  date NOT NULL,
    valid_until date NOT NULL,
    members     jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(members) = 'array'),
    PRIMARY KEY (rka, tenant_iin, valid_from),
    CHECK (valid_until >= valid_from)
);

CREATE TABLE applications (
    id              text PRIMARY KEY CHECK (id <> ''),
    action          text NOT NULL CHECK (action IN ('register', 'deregister')),
    kind            text NOT NULL CHECK (kind IN ('permanent', 'temporary')),
    applicant_iin   text NOT NULL REFERENCES persons (iin),
    subject_iin     text NOT NULL REFERENCES persons (iin),
    rka             text NOT NULL,
    reason          text NOT NULL DEFAULT '',
    stay_from       date,
    stay_until      date,
    arrived_on      date,
    channel         text NOT NULL CHECK (channel IN ('portal', 'mobile', 'api', 'psc')),
    signature       text NOT NULL DEFAULT '' CHECK (signature IN ('', 'eds', 'sms_otp', 'psc')),
    signer_iin      text NOT NULL DEFAULT '',
    operator_id     text NOT NULL DEFAULT '',
    status          text NOT NULL CHECK (status IN ('submitted', 'rejected', 'in_person_required',
                                                    'awaiting_consent', 'registered', 'expired', 'deregistered')),
    decision        jsonb NOT NULL DEFAULT '{}',
    registration_id text,
    idempotency_key text,
    created_at      timestamptz NOT NULL,
    decided_at      timestamptz,
    updated_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX applications_idempotency_key ON applications (applicant_iin, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
CREATE INDEX applications_applicant_idx ON applications (applicant_iin, created_at);
CREATE INDEX applications_subject_idx ON applications (subject_iin, created_at);

CREATE TABLE registrations (
    id             text PRIMARY KEY CHECK (id <> ''),
    iin            text NOT NULL REFERENCES persons (iin),
    rka            text NOT NULL REFERENCES premises (rka),
    kind           text NOT NULL CHECK (kind IN ('permanent', 'temporary')),
    since          date NOT NULL,
    until          date,
    status         text NOT NULL CHECK (status IN ('active', 'ended')),
    ended_on       date,
    end_reason     text CHECK (end_reason IN ('moved', 'replaced', 'deregistered_by_owner', 'emigrated',
                                              'deceased', 'expired', 'court')),
    application_id text REFERENCES applications (id),
    imported       boolean NOT NULL DEFAULT false,
    CHECK (imported OR application_id IS NOT NULL),
    CHECK (status = 'ended' OR (ended_on IS NULL AND end_reason IS NULL)),
    CHECK (until IS NULL OR until >= since)
);
-- At most one active permanent and one active temporary registration per person.
CREATE UNIQUE INDEX registrations_one_active ON registrations (iin, kind) WHERE status = 'active';
-- The natural key of registrations loaded from the national registry.
CREATE UNIQUE INDEX registrations_imported_key ON registrations (iin, rka, kind, since) WHERE imported;
CREATE INDEX registrations_iin_idx ON registrations (iin, since);
CREATE INDEX registrations_residents_idx ON registrations (rka) WHERE status = 'active';
CREATE INDEX registrations_application_idx ON registrations (application_id);

ALTER TABLE applications ADD CONSTRAINT applications_registration_fk
    FOREIGN KEY (registration_id) REFERENCES registrations (id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE consent_tasks (
    id             text PRIMARY KEY CHECK (id <> ''),
    application_id text NOT NULL REFERENCES applications (id),
    owner_iin      text REFERENCES persons (iin),
    owner_bin      text REFERENCES organisations (bin),
    channel        text NOT NULL CHECK (channel IN ('sms', 'eds', 'petition')),
    status         text NOT NULL CHECK (status IN ('pending', 'confirmed', 'declined', 'expired', 'locked', 'cancelled')),
    code_hash      bytea,
    attempts       integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at     timestamptz NOT NULL,
    expires_at     timestamptz NOT NULL,
    answered_at    timestamptz,
    answered_by    text NOT NULL DEFAULT '',
    CHECK ((owner_iin IS NULL) <> (owner_bin IS NULL))
);
CREATE INDEX consent_tasks_application_idx ON consent_tasks (application_id, created_at);
CREATE INDEX consent_tasks_pending_iin_idx ON consent_tasks (owner_iin, created_at) WHERE status = 'pending';
CREATE INDEX consent_tasks_pending_bin_idx ON consent_tasks (owner_bin, created_at) WHERE status = 'pending';

CREATE TABLE otps (
    id         text PRIMARY KEY CHECK (id <> ''),
    iin        text NOT NULL REFERENCES persons (iin),
    purpose    text NOT NULL CHECK (purpose IN ('login', 'sign')),
    code_hash  bytea NOT NULL,
    attempts   integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    locked     boolean NOT NULL DEFAULT false
);
CREATE INDEX otps_iin_idx ON otps (iin, purpose, created_at);
CREATE INDEX otps_iin_created_idx ON otps (iin, created_at);

CREATE TABLE sms (
    id             text PRIMARY KEY CHECK (id <> ''),
    to_phone       text NOT NULL,
    from_phone     text NOT NULL,
    text           text NOT NULL,
    status         text NOT NULL CHECK (status IN ('queued', 'sent', 'delivered', 'failed')),
    recipient_iin  text NOT NULL DEFAULT '',
    application_id text NOT NULL DEFAULT '',
    provider_id    text,
    attempts       integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error     text NOT NULL DEFAULT '',
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX sms_created_idx ON sms (created_at, id);
CREATE UNIQUE INDEX sms_provider_key ON sms (provider_id) WHERE provider_id IS NOT NULL;

-- Events are append-only. IDs come from the database; AppendEvents takes a
-- transaction-scoped advisory lock so that IDs are assigned in commit order
-- and a feed reader polling with after=N never skips an event.
CREATE TABLE events (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    type            text NOT NULL CHECK (type <> ''),
    at              timestamptz NOT NULL,
    person_iin      text NOT NULL DEFAULT '',
    actor_iin       text NOT NULL DEFAULT '',
    actor_role      text NOT NULL DEFAULT '',
    rka             text NOT NULL DEFAULT '',
    application_id  text NOT NULL DEFAULT '',
    registration_id text NOT NULL DEFAULT '',
    message         jsonb,
    data            jsonb
);
CREATE INDEX events_person_idx ON events (person_iin, id) WHERE person_iin <> '';

CREATE TABLE tokens (
    id         text PRIMARY KEY CHECK (id <> ''),
    name       text NOT NULL,
    role       text NOT NULL CHECK (role IN ('citizen', 'operator', 'agency', 'admin', 'system')),
    hash       bytea NOT NULL UNIQUE,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
);
