-- Credentials follow strong proof (issue 15, point 1; THREATS.md 12): what later
-- authenticates (a passkey, software keys, a delegation, an account) is enrolled only
-- after a fresh strong proof given from where the request comes, is recorded with its
-- device and network, and is shown to its owner and to the security console.
-- No new table: each column below is covered by the table-wide grants rempart_app holds
-- (default privileges) and rempart_serve copied from it (019).
SET ROLE rempart_owner;

-- When the holder last gave a strong proof of presence: an assertion by one of their
-- passkeys, or a Pro Santé Connect authentication (its auth_time, not the callback's).
-- Where it was given is proved_ip and proved_device (011), written with it.
ALTER TABLE person_session ADD COLUMN strong_proof_at timestamptz;

-- Where each passkey was registered, shown to its owner beside its dates.
ALTER TABLE passkey
  ADD COLUMN registered_ip text CHECK (length(registered_ip) <= 45),
  ADD COLUMN registered_device text CHECK (length(registered_device) <= 200);

-- The device (user agent) of an authentication event beside its address; a person's
-- enrolments are read by subject, newest first.
ALTER TABLE auth_event ADD COLUMN device text CHECK (length(device) <= 200);
CREATE INDEX auth_event_enrolment ON auth_event (subject, id) WHERE kind = 'enrolment';

-- The professional who registered practice software or last published its keys: while
-- that account is suspended, the software is refused, whoever it acts for. Null for
-- software registered from the command line.
ALTER TABLE client ADD COLUMN enrolled_by bigint REFERENCES professional;
