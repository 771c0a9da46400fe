-- A withdrawn application's consent requests still in the SMS queue are
-- ended with it (residence.Tx.CancelQueuedSMS): find them by application
-- among the queued messages only, which are few.
CREATE INDEX sms_queued_application_idx ON sms (application_id) WHERE status = 'queued';
