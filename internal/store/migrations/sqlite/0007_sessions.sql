-- Sessions are revocable: a signed session token is accepted only while its
-- row stands (residence/session.go). An EDS sign-in challenge is redeemed
-- once: the primary key of used_challenges refuses a second use.
CREATE TABLE sessions (
    id         TEXT PRIMARY KEY CHECK (id <> ''),
    kind       TEXT NOT NULL CHECK (kind IN ('citizen', 'staff')),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    challenge  TEXT
) STRICT;
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE used_challenges (
    id         TEXT PRIMARY KEY CHECK (id <> ''),
    used_at    TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX used_challenges_expires_idx ON used_challenges (expires_at);
