-- Agency tokens carry purposes (residence.Purpose): what the agency may
-- read, as a comma-separated list such as 'address:read,events:read'. Staff
-- tokens carry none. Tokens issued before purposes existed could read
-- addresses, residents and the event feed, and keep those rights; new
-- agency tokens get 'address:read' unless created with --purpose.
ALTER TABLE tokens ADD COLUMN purposes TEXT NOT NULL DEFAULT '';
UPDATE tokens SET purposes = 'address:read,residents:read,events:read' WHERE role = 'agency';
