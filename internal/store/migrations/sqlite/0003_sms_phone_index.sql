-- The per-phone SMS rate limit counts a phone's messages of the last hour
-- (residence.Reader.CountSMSSince).
CREATE INDEX sms_to_phone_idx ON sms (to_phone, created_at);
