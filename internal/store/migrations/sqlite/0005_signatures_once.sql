-- Every accepted EDS signature authorises one change (issue 14, item 2): its
-- digest (residence.SignerInfo.Digest: SHA-256 over the signer's public key
-- and the signed attributes) is inserted in the transaction of the change it
-- authorises; the primary key refuses a replay (Tx.UseSignature).
CREATE TABLE used_signatures (
    digest     BLOB PRIMARY KEY CHECK (length(digest) = 32),
    purpose    TEXT NOT NULL CHECK (purpose IN ('application', 'deregistration', 'consent', 'session')),
    signer_iin TEXT NOT NULL,
    used_at    TEXT NOT NULL
);

-- An Idempotency-Key is bound to the request it was first used with: the
-- hash of that request (residence.RequestHash) and the one-time password
-- that signed it, so that a retry is answered with the stored application
-- only when it is the same request and its password verifies again.
ALTER TABLE applications ADD COLUMN idempotency_hash BLOB;
ALTER TABLE applications ADD COLUMN otp_id TEXT REFERENCES otps (id);
