-- Issue 18, item 5: the applicant may withdraw an application while it
-- waits for consent (residence.Service.Withdraw), a final status of its own.
ALTER TABLE applications DROP CONSTRAINT applications_status_check;
ALTER TABLE applications ADD CONSTRAINT applications_status_check
    CHECK (status IN ('submitted', 'rejected', 'in_person_required', 'awaiting_consent', 'registered',
                      'expired', 'deregistered', 'withdrawn'));

-- An application's short reference (residence.Reference) is its id's last
-- ten hex digits written in Crockford base32, so an operator finds an
-- application by reference through this index (Reader.ApplicationsByReference).
CREATE INDEX applications_reference_idx ON applications (substr(id, 27));
