-- A person never holds an active temporary and an active permanent
-- registration at the same premises (issue 15, item 5): a permanent
-- registration where the person stays temporarily ends the temporary one
-- (replaced), and a temporary one at the permanent address is refused.
-- Rows that break this already (from an import) keep the permanent
-- registration; the temporary one ends as replaced, on the day the
-- permanent one began or the temporary one did, whichever is later.
UPDATE registrations SET status = 'ended', end_reason = 'replaced',
    ended_on = (SELECT CASE WHEN p.since > registrations.since THEN p.since ELSE registrations.since END
                FROM registrations p
                WHERE p.iin = registrations.iin AND p.rka = registrations.rka
                  AND p.kind = 'permanent' AND p.status = 'active')
WHERE kind = 'temporary' AND status = 'active' AND EXISTS (
    SELECT 1 FROM registrations p
    WHERE p.iin = registrations.iin AND p.rka = registrations.rka
      AND p.kind = 'permanent' AND p.status = 'active');
CREATE UNIQUE INDEX registrations_one_active_per_premises ON registrations (iin, rka) WHERE status = 'active';
