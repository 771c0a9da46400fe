-- Issue 14, items 1 and 4.
--
-- A consent task has a kind: an owner's consent (a person by IIN), an
-- organisation's petition (by BIN), or the subject's own confirmation when
-- someone else applied for an adult (rule SUBJECT_CONSENT; owner_iin then
-- holds the subject's IIN: the person who answers). SQLite cannot add a
-- table constraint to an existing table: the tie between kind petition and
-- owner_bin, a CHECK on PostgreSQL, is kept here by two triggers.
ALTER TABLE consent_tasks ADD COLUMN kind TEXT NOT NULL DEFAULT 'owner'
    CHECK (kind IN ('owner', 'petition', 'subject'));
UPDATE consent_tasks SET kind = 'petition' WHERE owner_bin IS NOT NULL;
CREATE TRIGGER consent_tasks_kind_bin_insert BEFORE INSERT ON consent_tasks
    WHEN (NEW.kind = 'petition') <> (NEW.owner_bin IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'consent_tasks_kind_bin: a petition, and only a petition, names an organisation'); END;
CREATE TRIGGER consent_tasks_kind_bin_update BEFORE UPDATE OF kind, owner_bin ON consent_tasks
    WHEN (NEW.kind = 'petition') <> (NEW.owner_bin IS NOT NULL)
BEGIN SELECT RAISE(ABORT, 'consent_tasks_kind_bin: a petition, and only a petition, names an organisation'); END;

-- A one-time password remembers the client that asked for it (a keyed hash
-- of its address, never the address), so that the per-person cap counts per
-- client and a stranger's requests never supersede the code a person asked
-- for (residence.Service.RequestOTP).
ALTER TABLE otps ADD COLUMN client TEXT NOT NULL DEFAULT '';
CREATE INDEX otps_iin_client_idx ON otps (iin, client, purpose, created_at);

-- A task locked by wrong codes stays open to its owner (decline signed in,
-- or an EDS answer), so the owner's list of open tasks includes it.
DROP INDEX consent_tasks_pending_iin_idx;
DROP INDEX consent_tasks_pending_bin_idx;
CREATE INDEX consent_tasks_open_iin_idx ON consent_tasks (owner_iin, created_at) WHERE status IN ('pending', 'locked');
CREATE INDEX consent_tasks_open_bin_idx ON consent_tasks (owner_bin, created_at) WHERE status IN ('pending', 'locked');
