-- Sessions are revocable: a signed session token is accepted only while its
-- row stands (residence/session.go). An EDS sign-in challenge is redeemed
-- once: the primary key of used_challenges refuses a second use.
CREATE TABLE sessions (
    id         text PRIMARY KEY CHECK (id <> ''),
    kind       text NOT NULL CHECK (kind IN ('citizen', 'staff')),
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    challenge  text
);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE used_challenges (
    id         text PRIMARY KEY CHECK (id <> ''),
    used_at    timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX used_challenges_expires_idx ON used_challenges (expires_at);
