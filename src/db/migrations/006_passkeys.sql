-- Passkeys (WebAuthn): public keys only, and single-use challenges.
SET ROLE rempart_owner;

CREATE TABLE passkey (
  credential_id text PRIMARY KEY,
  professional_id bigint NOT NULL REFERENCES professional,
  public_key bytea NOT NULL,
  counter bigint NOT NULL,
  transports text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkey_professional ON passkey (professional_id);

CREATE TABLE webauthn_challenge (
  challenge text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('registration', 'authentication')),
  professional_id bigint REFERENCES professional,
  expires_at timestamptz NOT NULL
);
